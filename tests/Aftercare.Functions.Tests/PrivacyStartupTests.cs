using Aftercare.Functions.Hosting;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// A missing or malformed privacy key stops the worker before it takes any invocation, with a message that names the
/// setting and never its value.
/// </summary>
public sealed class PrivacyStartupTests
{
    /// <summary>Base64 of 31 bytes: one short of an HMAC-SHA256 key.</summary>
    private const string ShortKey = "c2hvcnQtcGhvbmUta2V5LTAxMjM0NTY3ODlhYmNkZQ==";

    public static TheoryData<string, string?, string> BrokenSettings => new()
    {
        { "Aftercare:Privacy:PhoneKey", "", "Aftercare__Privacy__PhoneKey is not set" },
        { "Aftercare:Privacy:PhoneKey", ShortKey, "Aftercare__Privacy__PhoneKey holds 31 bytes; at least 32" },
        { "Aftercare:Privacy:PhoneKey", "not base64!", "Aftercare__Privacy__PhoneKey is not valid base64" },
        { $"Aftercare:Privacy:SecretKeys:{TestKeys.SecretKeyId}", ShortKey, $"Aftercare__Privacy__SecretKeys__{TestKeys.SecretKeyId} holds 31 bytes" },
        { "Aftercare:Privacy:ActiveSecretKeyId", "missing", "Aftercare__Privacy__ActiveSecretKeyId must name one of the configured keys" },
        { "Aftercare:Privacy:RetentionDays", "0", "Aftercare__Privacy__RetentionDays must be from 1 to 3650" },
    };

    [Theory]
    [MemberData(nameof(BrokenSettings))]
    public async Task A_broken_privacy_setting_stops_start_up_naming_the_setting_not_its_value(string key, string? value, string message)
    {
        var builder = AftercareWorker.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(TestKeys.Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AftercareWorker.BuildAsync(builder));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        if (value is { Length: >= 8 })
        {
            Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_any_webhook_secret_key_the_settings_say_which_to_set()
    {
        var settings = new PrivacySettings { PhoneKey = TestKeys.PhoneKey, ActiveSecretKeyId = "k1" };

        var error = Assert.Throws<InvalidOperationException>(settings.CreateSecretCipher);

        Assert.Contains("Aftercare__Privacy__SecretKeys__<keyId>", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aftercare__Privacy__ActiveSecretKeyId", error.Message, StringComparison.Ordinal);
    }
}
