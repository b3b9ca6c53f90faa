using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Checks the X-Twilio-Signature of Twilio's webhook form posts: base64(HMAC-SHA1(auth token, full URL followed by
/// every form key, sorted ordinally, each followed by its value)).
/// </summary>
public sealed class TwilioRequestValidator
{
    public const string SignatureHeader = "X-Twilio-Signature";

    private readonly byte[] _key;

    public TwilioRequestValidator(string authToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        _key = Encoding.UTF8.GetBytes(authToken);
    }

    /// <param name="url">The URL exactly as Twilio requested it (the public one, scheme and query included).</param>
    public bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var parameters = form.ToList();
        var given = Encoding.UTF8.GetBytes(signature);

        // Twilio may sign with or without the default port (":443" or ":80"), whichever it saw, so both are tried.
        return UrlVariants(url).Any(candidate =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(ComputeSignature(candidate, parameters)), given));
    }

    public bool IsValid(string url, IFormCollection form, string? signature)
    {
        ArgumentNullException.ThrowIfNull(form);
        return IsValid(url, form.SelectMany(field => field.Value.Select(value => new KeyValuePair<string, string>(field.Key, value ?? string.Empty))), signature);
    }

    public string ComputeSignature(string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        // SHA-1 is Twilio's choice for this signature, not ours; HMAC-SHA1 remains sound as a MAC.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    private static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsDefaultPort)
        {
            yield break;
        }

        var hostAt = url.IndexOf(uri.Host, StringComparison.OrdinalIgnoreCase);
        if (hostAt < 0)
        {
            yield break;
        }

        var afterHost = hostAt + uri.Host.Length;
        var port = ":" + uri.Port;
        yield return string.CompareOrdinal(url, afterHost, port, 0, port.Length) == 0
            ? url.Remove(afterHost, port.Length)
            : url.Insert(afterHost, port);
    }
}
