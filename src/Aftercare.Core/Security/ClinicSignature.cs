using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Aftercare.Core.Security;

/// <summary>
/// The <c>Aftercare-Signature</c> scheme clinics sign requests with:
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;METHOD&gt;.&lt;path and query&gt;.&lt;raw body&gt;")&gt;</c>,
/// accepted within ±<see cref="Tolerance"/>. Several v1 values may be sent while a secret is rotated.
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

        long? timestamp = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return SignatureCheck.Malformed;
            }

            var (key, value) = (part[..eq], part[(eq + 1)..]);
            switch (key)
            {
                case "t" when timestamp is null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t):
                    timestamp = t;
                    break;
                case "v1" when value.Length == 64 && IsLowerHex(value):
                    candidates.Add(Convert.FromHexString(value));
                    break;
                case "t" or "v1":
                    return SignatureCheck.Malformed;
                default:
                    break; // Unknown schemes are ignored so the scheme can grow.
            }
        }

        if (timestamp is null || candidates.Count == 0)
        {
            return SignatureCheck.Malformed;
        }

        if (timestamp.Value is < -62135596800 or > 253402300799)
        {
            return SignatureCheck.Stale;
        }

        var age = now - Instant.FromUnixTimeSeconds(timestamp.Value);
        if (Duration.Max(age, -age) > Tolerance)
        {
            return SignatureCheck.Stale;
        }

        var expected = Compute(secret, timestamp.Value, method, pathAndQuery, body);
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

    private static bool IsLowerHex(string value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
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
