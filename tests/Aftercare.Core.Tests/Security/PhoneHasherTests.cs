using System.Security.Cryptography;
using System.Text;
using Aftercare.Core.Security;
using Xunit;

namespace Aftercare.Core.Tests.Security;

public class PhoneHasherTests
{
    private const string Phone = "+447911123456";

    [Fact]
    public void The_key_is_lowercase_hex_HMAC_SHA256_of_the_number_under_the_secret_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var hash = new PhoneHasher(key).Hash(Phone);

        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Phone))), hash);
        Assert.Matches("^[0-9a-f]{64}\\z", hash);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Phone))), hash);
        Assert.Equal(hash, new PhoneHasher(key).Hash(Phone));
        Assert.NotEqual(hash, new PhoneHasher(RandomNumberGenerator.GetBytes(32)).Hash(Phone));
        Assert.NotEqual(hash, new PhoneHasher(key).Hash("+447911123457"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void A_key_shorter_than_32_bytes_is_refused(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new PhoneHasher(new byte[length]));
        Assert.Contains("32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_number_has_no_key()
    {
        var hasher = new PhoneHasher(new byte[32]);
        Assert.Throws<ArgumentException>(() => hasher.Hash(string.Empty));
    }
}
