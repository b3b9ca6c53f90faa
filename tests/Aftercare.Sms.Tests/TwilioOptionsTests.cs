using Aftercare.Sms.Tests.Support;
using Xunit;

namespace Aftercare.Sms.Tests;

public sealed class TwilioOptionsTests
{
    private static readonly Uri Api = new("https://api.twilio.com");

    [Fact]
    public void Auth_token_options_are_valid() => TestTwilio.Options(Api).Validate();

    [Fact]
    public void Api_key_options_are_valid() =>
        TestTwilio.Options(Api, o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = TestTwilio.ApiKeySid;
            o.ApiKeySecret = "secret";
        }).Validate();

    [Theory]
    [InlineData("AC123")]
    [InlineData("XX0123456789abcdef0123456789abcdef")]
    [InlineData("AC0123456789abcdef0123456789abcdeg")]
    [InlineData("AC0123456789abcdef0123456789abcdef\n")]
    [InlineData("AC0123456789abcdef0123456789abcdef0")]
    [InlineData(" AC0123456789abcdef0123456789abcdef")]
    public void A_malformed_account_sid_is_named(string accountSid)
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o => o.AccountSid = accountSid).Validate());
        Assert.Contains("AccountSid", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SK0123456789abcdef0123456789abcdef\n")]
    [InlineData("SK0123")]
    [InlineData("AC0123456789abcdef0123456789abcdef")]
    public void A_malformed_api_key_sid_is_named(string apiKeySid)
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = apiKeySid;
            o.ApiKeySecret = "secret";
        }).Validate());
        Assert.Contains("ApiKeySid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_credentials_are_named()
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o => o.AuthToken = null).Validate());
        Assert.Contains("AuthToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_key_without_its_secret_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o => o.ApiKeySid = TestTwilio.ApiKeySid).Validate());
        Assert.Contains("ApiKeySecret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://api.twilio.com")]
    [InlineData("http://10.0.0.5:4010")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("https://user:pass@api.twilio.com")]
    [InlineData("https://api.twilio.com/?x=1")]
    public void A_base_uri_our_credentials_should_not_go_to_is_refused(string baseUri)
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(new Uri(baseUri)).Validate());
        Assert.Contains("BaseUri", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:4010")]
    [InlineData("http://localhost:4010/twilio")]
    [InlineData("https://api.twilio.com")]
    public void Https_or_loopback_http_is_a_valid_base_uri(string baseUri) => TestTwilio.Options(new Uri(baseUri)).Validate();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void A_send_ceiling_outside_1_to_1000_a_second_is_refused(int perSecond)
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o => o.MaxSendsPerSecond = perSecond).Validate());
        Assert.Contains("MaxSendsPerSecond", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o =>
        {
            o.AccountSid = "nope";
            o.RequestTimeout = TimeSpan.Zero;
            o.BaseUri = new Uri("/relative", UriKind.Relative);
            o.Resilience.MaxListPages = 0;
        }).Validate());
        Assert.Contains("AccountSid", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("BaseUri", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxListPages", error.Message, StringComparison.Ordinal);
    }
}
