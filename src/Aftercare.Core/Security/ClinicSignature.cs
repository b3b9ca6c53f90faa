using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Aftercare.Core.Security;

/// <summary>
/// The <c>Aftercare-Signature</c> scheme clinics sign requests with:
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;METHOD&gt;.&lt;path and query&gt;.&lt;raw body&gt;")&gt;</c>,
/// accepted within ±<see cref="Tolerance"/>. Several v1 values may be sent while a secret is rotated; the header must
/// follow that grammar exactly (<see cref="ClinicSignatureHeader"/>).
/// </summary>
public static class ClinicSignature
{
    public const string HeaderName = "Aftercare-Signature";

    public static Duration Tolerance { get; } = Duration.FromMinutes(5);

    public static string Create(string secret, Instant at, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var mac = Compute(secret, timestamp, method, pathAndQuery, body);
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(mac)}";
    }

    public static SignatureCheck Verify(string? header, string secret, Instant now, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        if (!ClinicSignatureHeader.TryParse(header, out var timestamp, out var candidates))
        {
            return SignatureCheck.Malformed;
        }

        if (timestamp > 253402300799)
        {
            return SignatureCheck.Stale;
        }

        var age = now - Instant.FromUnixTimeSeconds(timestamp);
        if (Duration.Max(age, -age) > Tolerance)
        {
            return SignatureCheck.Stale;
        }

        var expected = Compute(secret, timestamp, method, pathAndQuery, body);
        foreach (var candidate in candidates)
        {
            if (CryptographicOperations.FixedTimeEquals(expected, candidate))
            {
                return SignatureCheck.Valid;
            }
        }

        return SignatureCheck.Mismatch;
    }

    private static byte[] Compute(string secret, long timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{timestamp.ToString(CultureInfo.InvariantCulture)}.{method.ToUpperInvariant()}.{pathAndQuery}.");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}

public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
    Stale,
}
