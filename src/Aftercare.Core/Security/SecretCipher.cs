using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Core.Security;

/// <summary>
/// Seals short secrets (a clinic's webhook secret) for storage with AES-256-GCM (<see cref="AesGcm"/>), under a ring of
/// keys so keys can rotate: each sealed value names its key, <c>v1:&lt;keyId&gt;:&lt;nonce&gt;:&lt;ciphertext&gt;:&lt;tag&gt;</c>
/// (base64), and opens for as long as that key is in the ring. New values are sealed with the active key. The nonce is
/// 12 random bytes per value (NIST SP 800-38D §8.2.2 allows 2^32 such values per key; a secret is sealed once per clinic
/// and rotation). A context is bound to each value as associated data, so a value copied to another
/// row or column does not open there. Thread-safe.
/// </summary>
public sealed class SecretCipher
{
    /// <summary>AES-256: every key is exactly this many bytes.</summary>
    public const int KeyBytes = 32;

    /// <summary>Key ids: 1 to 32 ASCII letters and digits (they name app settings); compared ignoring case, as configuration keys are.</summary>
    public const int MaxKeyIdLength = 32;

    private const string Version = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly SearchValues<char> KeyIdChars = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private readonly Dictionary<string, byte[]> _keys;

    /// <param name="keys">Key id → 32 key bytes; every key that sealed a stored value must stay here until that value is resealed.</param>
    /// <param name="activeKeyId">The key new values are sealed with; one of <paramref name="keys"/>.</param>
    /// <exception cref="ArgumentException">A key id is malformed, a key is not 32 bytes, or the active key is not in the ring (the message names ids, never key material).</exception>
    public SecretCipher(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(activeKeyId);
        _keys = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, key) in keys)
        {
            if (!IsKeyId(id))
            {
                throw new ArgumentException($"Secret key id '{id}' is not 1 to {MaxKeyIdLength} ASCII letters and digits.", nameof(keys));
            }

            if (key is not { Length: KeyBytes })
            {
                throw new ArgumentException($"Secret key '{id}' must be {KeyBytes} bytes (AES-256); it has {key?.Length ?? 0}.", nameof(keys));
            }

            if (!_keys.TryAdd(id, [.. key]))
            {
                throw new ArgumentException($"Secret key id '{id}' is given twice (ids ignore case).", nameof(keys));
            }
        }

        if (!_keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"The active secret key '{activeKeyId}' is not among the configured keys.", nameof(activeKeyId));
        }

        ActiveKeyId = _keys.Keys.First(id => string.Equals(id, activeKeyId, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The key <see cref="Seal"/> uses, spelled as in the ring.</summary>
    public string ActiveKeyId { get; }

    /// <summary>True for an id a key ring accepts.</summary>
    public static bool IsKeyId(string? id) =>
        id is { Length: > 0 and <= MaxKeyIdLength } && !id.AsSpan().ContainsAnyExcept(KeyIdChars);

    /// <summary>The id of the key that sealed <paramref name="sealedValue"/>, or null when it is not a sealed value at all.</summary>
    public static string? KeyIdOf(string? sealedValue) =>
        sealedValue is not null && Parse(sealedValue) is { } parts ? parts.KeyId : null;

    /// <summary>Seals <paramref name="secret"/> with the active key, bound to <paramref name="context"/> (say, the row and column it is stored in).</summary>
    public string Seal(string secret, string context)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(context);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(_keys[ActiveKeyId], TagBytes))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(context));
        }

        return string.Join(':', Version, ActiveKeyId, Convert.ToBase64String(nonce), Convert.ToBase64String(ciphertext), Convert.ToBase64String(tag));
    }

    /// <summary>Opens a value <see cref="Seal"/> made with the same <paramref name="context"/>.</summary>
    /// <exception cref="SecretKeyNotFoundException">The value's key is not in the ring.</exception>
    /// <exception cref="CryptographicException">
    /// The value is not a sealed value, or it does not open: altered, sealed for another context, or the key with its id
    /// holds other bytes now. Messages name the key id only.
    /// </exception>
    public string Open(string sealedValue, string context)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        ArgumentNullException.ThrowIfNull(context);
        var parts = Parse(sealedValue) ?? throw new CryptographicException("The value is not a sealed secret (v1:<keyId>:<nonce>:<ciphertext>:<tag>).");
        if (!_keys.TryGetValue(parts.KeyId, out var key))
        {
            throw new SecretKeyNotFoundException(parts.KeyId);
        }

        var plaintext = new byte[parts.Ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(parts.Nonce, parts.Ciphertext, parts.Tag, plaintext, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new CryptographicException(
                $"A value sealed with secret key '{parts.KeyId}' does not open: it was altered or sealed for another row, or key '{parts.KeyId}' now holds other bytes.");
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    private static Sealed? Parse(string value)
    {
        var parts = value.Split(':');
        if (parts is not [Version, var keyId, var nonce, var ciphertext, var tag] || !IsKeyId(keyId))
        {
            return null;
        }

        var bytes = (Nonce: Base64(nonce), Ciphertext: Base64(ciphertext), Tag: Base64(tag));
        return bytes is ({ Length: NonceBytes } n, { } c, { Length: TagBytes } t) ? new Sealed(keyId, n, c, t) : null;
    }

    private static byte[]? Base64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }

    private sealed record Sealed(string KeyId, byte[] Nonce, byte[] Ciphertext, byte[] Tag);
}

/// <summary>A sealed value names a key the ring does not hold: configure that key again (or reseal the value) to read it.</summary>
public sealed class SecretKeyNotFoundException : CryptographicException
{
    public SecretKeyNotFoundException(string keyId)
        : base($"The value is sealed with secret key '{keyId}', which is not among the configured keys.") => KeyId = keyId;

    /// <summary>The missing key's id.</summary>
    public string KeyId { get; }
}
