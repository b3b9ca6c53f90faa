using Aftercare.Core.Privacy;
using Aftercare.Core.Security;
using NodaTime;

namespace Aftercare.Functions.Hosting;

/// <summary>
/// The "Aftercare:Privacy" section: the keys that protect personal data at rest and the retention period. In Azure the
/// keys are Key Vault references (infra/app/api.bicep). The retention sweep's schedule is not here: the timer reads the app
/// setting <c>Aftercare__Privacy__RetentionSchedule</c> through the host (see <see cref="Functions.RetentionFunction"/>).
/// </summary>
public sealed class PrivacySettings
{
    /// <summary>Base64 of at least 32 random bytes: the HMAC-SHA256 key of every storage key derived from a phone number. Changing it needs re-keying (README).</summary>
    public string? PhoneKey { get; set; }

    /// <summary>Key id (1–32 letters and digits) → base64 of 32 random bytes: the AES-256-GCM keys webhook secrets are sealed with. Keep a key while any secret sealed with it is stored.</summary>
    public Dictionary<string, string> SecretKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The id, among <see cref="SecretKeys"/>, new webhook secrets are sealed with.</summary>
    public string? ActiveSecretKeyId { get; set; }

    /// <summary>Days personal data is kept after a treatment's last message settled; 1 to 3650, 400 by default.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>The phone key, checked.</summary>
    /// <exception cref="InvalidOperationException">It is missing, not base64, or shorter than 32 bytes; the message names the setting, never its value.</exception>
    public PhoneHasher CreatePhoneHasher()
    {
        const string Setting = "Aftercare__Privacy__PhoneKey";
        var key = Decode(Setting, PhoneKey) ?? throw new InvalidOperationException(
            $"{Setting} is not set: give it base64 of at least {PhoneHasher.MinimumKeyBytes} random bytes (in Azure, a Key Vault reference).");
        return key.Length >= PhoneHasher.MinimumKeyBytes
            ? new PhoneHasher(key)
            : throw new InvalidOperationException($"{Setting} holds {key.Length} bytes; at least {PhoneHasher.MinimumKeyBytes} are required.");
    }

    /// <summary>The webhook secrets' key ring, checked.</summary>
    /// <exception cref="InvalidOperationException">No key, a malformed id or key, or an active id that is not in the ring; the message names settings, never values.</exception>
    public SecretCipher CreateSecretCipher()
    {
        const string Setting = "Aftercare__Privacy__SecretKeys__<keyId>";
        const string Active = "Aftercare__Privacy__ActiveSecretKeyId";
        if (SecretKeys.Count == 0)
        {
            throw new InvalidOperationException($"No webhook secret key is configured: set {Setting} to base64 of {SecretCipher.KeyBytes} random bytes, and {Active} to its id.");
        }

        var keys = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, value) in SecretKeys)
        {
            var name = $"Aftercare__Privacy__SecretKeys__{id}";
            if (!SecretCipher.IsKeyId(id))
            {
                throw new InvalidOperationException($"{name}: a key id is 1 to {SecretCipher.MaxKeyIdLength} ASCII letters and digits.");
            }

            var key = Decode(name, value) ?? throw new InvalidOperationException($"{name} is empty.");
            keys[id] = key.Length == SecretCipher.KeyBytes
                ? key
                : throw new InvalidOperationException($"{name} holds {key.Length} bytes; an AES-256 key is {SecretCipher.KeyBytes}.");
        }

        if (string.IsNullOrWhiteSpace(ActiveSecretKeyId) || !keys.ContainsKey(ActiveSecretKeyId))
        {
            throw new InvalidOperationException($"{Active} must name one of the configured keys ({string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}).");
        }

        return new SecretCipher(keys, ActiveSecretKeyId);
    }

    /// <summary>The retention period, checked.</summary>
    /// <exception cref="InvalidOperationException"><see cref="RetentionDays"/> is outside 1 to 3650.</exception>
    public RetentionOptions CreateRetentionOptions() => RetentionDays is >= 1 and <= 3650
        ? new RetentionOptions { Period = Duration.FromDays(RetentionDays) }
        : throw new InvalidOperationException("Aftercare__Privacy__RetentionDays must be from 1 to 3650.");

    private static byte[]? Decode(string setting, string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written)
            ? buffer[..written]
            : throw new InvalidOperationException($"{setting} is not valid base64 (in Azure, check that its Key Vault reference resolves).");
    }
}
