using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Core.Security;

/// <summary>
/// The look-up key of a phone number: lowercase hex HMAC-SHA256 of its canonical E.164 text under a secret key
/// (64 characters). Unlike a bare hash, it cannot be reversed by hashing every possible number without the key, so
/// storage keys (and logs of them) reveal nothing. Every key derived from a phone comes from here (DESIGN.md, "Privacy
/// at rest"). Thread-safe.
/// </summary>
public sealed class PhoneHasher
{
    /// <summary>The shortest key accepted, in bytes: HMAC-SHA256's own output size (RFC 2104 §3 advises no less).</summary>
    public const int MinimumKeyBytes = 32;

    private readonly byte[] _key;

    /// <summary>Keeps a copy of <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinimumKeyBytes"/>.</exception>
    public PhoneHasher(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A phone key needs at least {MinimumKeyBytes} bytes; this one has {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>The key for <paramref name="e164"/>, which must already be canonical: another spelling is another key.</summary>
    /// <exception cref="ArgumentException">The number is null or empty.</exception>
    public string Hash(string e164)
    {
        ArgumentException.ThrowIfNullOrEmpty(e164);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(e164)));
    }
}
