using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Testing;

/// <summary>
/// Signs a webhook the way Twilio does (its "Webhooks security" document): the URL, then each form key followed by its
/// value, keys sorted, a repeated key once per value with its values sorted; HMAC-SHA1 keyed with the auth token,
/// base64. Written from the document for tests, independently of the code under test, which wraps the SDK's validator.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        // SHA-1 is Twilio's choice for this signature, not ours.
#pragma warning disable CA5350
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }
}
