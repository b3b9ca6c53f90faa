using Aftercare.Sms.Twilio;
using Twilio.Clients;

namespace Aftercare.Sms.Tests.Support;

/// <summary>Twilio options, clients and senders for tests: fake credentials, fast retries, a wide-open breaker.</summary>
public static class TestTwilio
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "test-auth-token";
    public const string ApiKeySid = "SK0123456789abcdef0123456789abcdef";
    public const string SenderPhone = "+15005550006";

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

    public static TwilioRestClient Client(
        TwilioOptions options, HttpMessageHandler? primaryHandler = null, TimeProvider? timeProvider = null, CapturingLogger<TwilioResilienceHandler>? logs = null) =>
        TwilioRestClientFactory.Create(options, timeProvider ?? TimeProvider.System, primaryHandler, logs);

    public static TwilioSmsSender Sender(
        TwilioOptions options,
        CapturingLogger<TwilioSmsSender>? logs = null,
        HttpMessageHandler? primaryHandler = null,
        TimeProvider? timeProvider = null,
        CapturingLogger<TwilioResilienceHandler>? handlerLogs = null) =>
        new(Client(options, primaryHandler, timeProvider, handlerLogs), options, logs ?? new CapturingLogger<TwilioSmsSender>());

    /// <summary>A distinct E.164 number per call, so tests never see each other's messages.</summary>
    public static string NewRecipient() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
}
