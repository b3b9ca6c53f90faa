using Twilio.Security;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Checks the X-Twilio-Signature of Twilio's webhook form posts with the SDK's <see cref="RequestValidator"/>
/// (base64 HMAC-SHA1, keyed with the auth token, over the URL followed by each form key and value, keys sorted:
/// Twilio's "Webhooks security" document). It feeds the SDK so that the SDK's known gaps do not turn a genuine request
/// away or a bad one into an exception:
/// <list type="bullet">
/// <item>a missing or empty signature makes the SDK throw; here it is simply not valid;</item>
/// <item>Twilio may sign with or without the default port (":443"); the SDK builds the other form by re-parsing the URL
/// through <see cref="Uri"/>, which misses a ":443" Twilio signed without and un-escapes "%7E" on the way. Here both
/// forms are cut from the string itself, and each is handed to the SDK exactly as written;</item>
/// <item>Twilio signs a repeated key once per value, values sorted ("MediaUrlaMediaUrlb"); the SDK's dictionary overload
/// cannot hold a repeated key and its <c>NameValueCollection</c> overload joins the values with commas. Here a repeated
/// key's distinct values are sorted and joined with the key itself, so the SDK's "key + value" is Twilio's string (as
/// the official Node.js and Python helpers build it);</item>
/// <item>a URL <see cref="Uri"/> cannot parse makes the SDK throw; here it is not valid.</item>
/// </list>
/// </summary>
public sealed class TwilioRequestValidator
{
    /// <summary>The header Twilio puts its signature in.</summary>
    public const string SignatureHeader = "X-Twilio-Signature";

    private readonly RequestValidator _validator;

    /// <param name="authToken">The account's primary auth token (Twilio signs with it, also when we call Twilio with an API key).</param>
    public TwilioRequestValidator(string authToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        _validator = new RequestValidator(authToken);
    }

    /// <param name="url">
    /// The URL exactly as Twilio signed it: the public scheme and host Twilio called, then the path and query byte for
    /// byte as they arrived. It is never re-parsed here.
    /// </param>
    /// <param name="form">The posted form as received, a key once per value (repeated keys allowed).</param>
    /// <param name="signature">The <see cref="SignatureHeader"/> value; null or empty is not valid.</param>
    /// <returns>True when the signature matches the URL (with or without its default port) and the form.</returns>
    public bool IsValid(string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentNullException.ThrowIfNull(form);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var parameters = Fold(form);
        foreach (var candidate in WithAndWithoutDefaultPort(url))
        {
            try
            {
                if (_validator.Validate(candidate, parameters, signature))
                {
                    return true;
                }
            }
            catch (UriFormatException)
            {
                // The SDK re-parses a URL that did not match as written; one Uri refuses is not a URL Twilio called.
            }
        }

        return false;
    }

    private static Dictionary<string, string> Fold(IEnumerable<KeyValuePair<string, string>> form) =>
        form.GroupBy(field => field.Key, StringComparer.Ordinal).ToDictionary(
            field => field.Key,
            field => string.Join(field.Key, field.Select(f => f.Value ?? string.Empty).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            StringComparer.Ordinal);

    /// <summary>The URL as given, then with its default port removed, or added when it has none.</summary>
    private static string[] WithAndWithoutDefaultPort(string url) => OtherPortForm(url) is { } other ? [url, other] : [url];

    private static string? OtherPortForm(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var defaultPort = schemeEnd < 0 ? null : url[..schemeEnd].ToLowerInvariant() switch
        {
            "https" => "443",
            "http" => "80",
            _ => null,
        };
        if (defaultPort is null)
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart) is var end and >= 0 ? end : url.Length;
        var authority = url.AsSpan(authorityStart, authorityEnd - authorityStart);
        var hostStart = authority.LastIndexOf('@') + 1;
        var host = authority[hostStart..];

        // The last colon starts the port, unless it sits inside an IPv6 literal's brackets.
        var colon = host.LastIndexOf(':');
        if (colon < 0 || host[colon..].Contains(']'))
        {
            return url.Insert(authorityEnd, ":" + defaultPort);
        }

        return host[(colon + 1)..].SequenceEqual(defaultPort) ? url.Remove(authorityStart + hostStart + colon, host.Length - colon) : null;
    }
}
