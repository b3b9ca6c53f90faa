using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicIntegration;

public static class AftercareSignature
{
    /// <summary>The Aftercare-Signature header value; <paramref name="body"/> is the exact bytes you send (empty for GET and DELETE).</summary>
    public static string Create(string secret, string method, string pathAndQuery, ReadOnlySpan<byte> body, long? unixSeconds = null)
    {
        var t = (unixSeconds ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
        byte[] prefix = Encoding.UTF8.GetBytes($"{t}.{method.ToUpperInvariant()}.{pathAndQuery}.");
        byte[] message = [.. prefix, .. body];
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
