using Aftercare.Core.Security;

namespace Aftercare.Testing;

/// <summary>
/// Fixed privacy keys for tests, never used anywhere else: as the objects the repositories take, and as the app
/// settings that configure the worker with them.
/// </summary>
public static class TestKeys
{
    /// <summary>Base64 of 32 bytes ("test-only-phone-key-0123456789ab").</summary>
    public const string PhoneKey = "dGVzdC1vbmx5LXBob25lLWtleS0wMTIzNDU2Nzg5YWI=";

    public const string SecretKeyId = "test1";

    /// <summary>Base64 of 32 bytes ("test-only-secret-key-0123456789a").</summary>
    public const string SecretKey = "dGVzdC1vbmx5LXNlY3JldC1rZXktMDEyMzQ1Njc4OWE=";

    public static PhoneHasher PhoneHasher { get; } = new(Convert.FromBase64String(PhoneKey));

    public static SecretCipher SecretCipher { get; } = new(new Dictionary<string, byte[]> { [SecretKeyId] = Convert.FromBase64String(SecretKey) }, SecretKeyId);

    /// <summary>The same keys as app settings (environment-variable names, <c>__</c> between sections).</summary>
    public static IReadOnlyDictionary<string, string?> AppSettings { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Aftercare__Privacy__PhoneKey"] = PhoneKey,
        [$"Aftercare__Privacy__SecretKeys__{SecretKeyId}"] = SecretKey,
        ["Aftercare__Privacy__ActiveSecretKeyId"] = SecretKeyId,
    };

    /// <summary>The same keys as configuration keys (<c>:</c> between sections), for an in-memory configuration source.</summary>
    public static IReadOnlyDictionary<string, string?> Configuration { get; } =
        AppSettings.ToDictionary(setting => setting.Key.Replace("__", ":", StringComparison.Ordinal), setting => setting.Value, StringComparer.Ordinal);
}
