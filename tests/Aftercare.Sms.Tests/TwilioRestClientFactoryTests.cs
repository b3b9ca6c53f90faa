using Aftercare.Sms.Tests.Support;
using Xunit;

namespace Aftercare.Sms.Tests;

public sealed class TwilioRestClientFactoryTests
{
    private static readonly Uri Api = new("https://api.twilio.com");

    [Fact]
    public void Invalid_options_are_refused() =>
        Assert.Throws<ArgumentException>(() => TestTwilio.Client(TestTwilio.Options(Api, o => o.AuthToken = string.Empty)));

    [Fact]
    public void An_api_key_client_names_the_account_not_the_key()
    {
        var client = TestTwilio.Client(TestTwilio.Options(Api, o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = TestTwilio.ApiKeySid;
            o.ApiKeySecret = "secret";
        }));

        Assert.Equal(TestTwilio.AccountSid, client.AccountSid);
    }

    [Fact]
    public void The_client_never_prints_requests_even_when_twilio_log_level_says_debug()
    {
        // The SDK reads TWILIO_LOG_LEVEL when a client is built; "debug" prints each request's URL (the To number) to stdout.
        var before = Environment.GetEnvironmentVariable("TWILIO_LOG_LEVEL");
        Environment.SetEnvironmentVariable("TWILIO_LOG_LEVEL", "debug");
        try
        {
            Assert.Null(TestTwilio.Client(TestTwilio.Options(Api)).LogLevel);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TWILIO_LOG_LEVEL", before);
        }
    }
}
