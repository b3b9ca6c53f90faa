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
            o.ApiKeySid = "SK0123456789abcdef0123456789abcdef";
            o.ApiKeySecret = "secret";
        }).Validate();

    [Theory]
    [InlineData("AC123", "AccountSid")]
    [InlineData("XX0123456789abcdef0123456789abcdef", "AccountSid")]
    [InlineData("AC0123456789abcdef0123456789abcdeg", "AccountSid")]
    public void A_malformed_account_sid_is_named(string accountSid, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o => o.AccountSid = accountSid).Validate());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
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
        var error = Assert.Throws<ArgumentException>(() =>
            TestTwilio.Options(Api, o => o.ApiKeySid = "SK0123456789abcdef0123456789abcdef").Validate());
        Assert.Contains("ApiKeySecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_listed_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => TestTwilio.Options(Api, o =>
        {
            o.AccountSid = "nope";
            o.RequestTimeout = TimeSpan.Zero;
            o.BaseUri = new Uri("/relative", UriKind.Relative);
        }).Validate());
        Assert.Contains("AccountSid", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("BaseUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_refuses_invalid_options()
    {
        using var http = new HttpClient();
        Assert.Throws<ArgumentException>(() => TestTwilio.Client(http, Api, o => o.AuthToken = string.Empty));
    }
}
