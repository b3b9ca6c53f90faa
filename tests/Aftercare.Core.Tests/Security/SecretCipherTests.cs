using System.Security.Cryptography;
using System.Text;
using Aftercare.Core.Security;
using Xunit;

namespace Aftercare.Core.Tests.Security;

public class SecretCipherTests
{
    private const string Secret = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    private const string Context = "clinics/cl_0123456789abcdef0123/WebhookSecretSealed";

    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_sealed_secret_names_its_key_holds_no_clear_text_and_opens_again()
    {
        var cipher = new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");

        var sealedValue = cipher.Seal(Secret, Context);

        Assert.StartsWith("v1:k1:", sealedValue, StringComparison.Ordinal);
        Assert.Equal("k1", SecretCipher.KeyIdOf(sealedValue));
        Assert.DoesNotContain(Secret, sealedValue, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)), sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, cipher.Seal(Secret, Context)); // A fresh nonce each time.
        Assert.Equal(Secret, cipher.Open(sealedValue, Context));
    }

    [Fact]
    public void Values_sealed_with_an_older_key_open_while_it_is_configured_and_new_ones_use_the_active_key()
    {
        var before = new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");
        var sealedBefore = before.Seal(Secret, Context);
        var after = new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey, ["K2"] = NewKey }, "k2");

        Assert.Equal(Secret, after.Open(sealedBefore, Context));
        Assert.Equal("K2", SecretCipher.KeyIdOf(after.Seal(Secret, Context)));

        var withoutOld = new SecretCipher(new Dictionary<string, byte[]> { ["k2"] = NewKey }, "k2");
        var missing = Assert.Throws<SecretKeyNotFoundException>(() => withoutOld.Open(sealedBefore, Context));
        Assert.Equal("k1", missing.KeyId);
        Assert.Contains("'k1'", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_does_not_open_in_another_context_altered_or_under_other_key_bytes_with_the_same_id()
    {
        var cipher = new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");
        var sealedValue = cipher.Seal(Secret, Context);
        var parts = sealedValue.Split(':');
        var ciphertext = Convert.FromBase64String(parts[3]);
        ciphertext[0] ^= 1;
        var altered = string.Join(':', parts[0], parts[1], parts[2], Convert.ToBase64String(ciphertext), parts[4]);
        var impostor = new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = NewKey }, "k1");

        Assert.Throws<CryptographicException>(() => cipher.Open(sealedValue, Context.Replace("0123", "9999", StringComparison.Ordinal)));
        Assert.Throws<CryptographicException>(() => cipher.Open(altered, Context));
        var wrongBytes = Assert.Throws<CryptographicException>(() => impostor.Open(sealedValue, Context));
        Assert.Contains("'k1'", wrongBytes.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_plain")]
    [InlineData("v1:k1:AAAA:AAAA:AAAA")]
    [InlineData("v2:k1:AAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("v1:k-1:AAAAAAAAAAAAAAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA==")]
    public void Anything_but_a_sealed_value_is_refused(string value)
    {
        var cipher = new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");

        Assert.Null(SecretCipher.KeyIdOf(value));
        Assert.Throws<CryptographicException>(() => cipher.Open(value, Context));
    }

    [Fact]
    public void A_bad_key_ring_is_refused_naming_ids_never_key_bytes()
    {
        var shortKey = new byte[16];
        Assert.Contains("'k1'", Assert.Throws<ArgumentException>(() => new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = shortKey }, "k1")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SecretCipher(new Dictionary<string, byte[]> { ["k_1"] = OldKey }, "k_1"));
        Assert.Throws<ArgumentException>(() => new SecretCipher(new Dictionary<string, byte[]> { [new string('k', 33)] = OldKey }, new string('k', 33)));
        Assert.Throws<ArgumentException>(() => new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey, ["K1"] = NewKey }, "k1"));
        Assert.Throws<ArgumentException>(() => new SecretCipher(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k2"));
        Assert.Throws<ArgumentException>(() => new SecretCipher(new Dictionary<string, byte[]>(), "k1"));
    }
}
