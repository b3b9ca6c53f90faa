using Aftercare.Sms.Twilio;

namespace Aftercare.Sms.Tests.Support;

/// <summary>Twilio options and clients for tests: fake credentials, fast retries.</summary>
public static class TestTwilio
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "test-auth-token";
    public const string Sender = "+15005550006";

    public static TwilioOptions Options(Uri baseUri, Action<TwilioOptions>? configure = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = AccountSid,
            AuthToken = AuthToken,
            BaseUri = baseUri,
            RequestTimeout = TimeSpan.FromSeconds(10),
            Resilience = new TwilioResilienceOptions
            {
                MaxRetryAttempts = 2,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
                BreakerMinimumThroughput = 100,
            },
        };
        configure?.Invoke(options);
        return options;
    }

    public static TwilioMessagesClient Client(HttpClient http, Uri baseUri, Action<TwilioOptions>? configure = null) =>
        new(http, Options(baseUri, configure));

    /// <summary>A distinct E.164 number per call, so tests never see each other's messages.</summary>
    public static string NewRecipient() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
}
