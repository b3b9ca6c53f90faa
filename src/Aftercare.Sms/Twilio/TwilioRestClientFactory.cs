using Microsoft.Extensions.Logging;
using Twilio.Clients;
using Twilio.Http;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Builds the instance <see cref="TwilioRestClient"/> the adapter uses (never the SDK's process-wide static client):
/// <c>TwilioRestClient</c> → <see cref="SystemNetHttpClient"/> → <see cref="System.Net.Http.HttpClient"/> →
/// <see cref="TwilioResilienceHandler"/> → the primary handler. Build one per process and keep it: the handler holds
/// the circuit breaker and the primary handler the connection pool. The first call also starts warming the SDK's Message
/// parsing in the background (<see cref="TwilioSdkWarmUp"/>), so build the client at start-up.
/// </summary>
public static class TwilioRestClientFactory
{
    /// <param name="options">Validated here; with an API key, the key is the Basic-auth user and the account SID stays in URLs.</param>
    /// <param name="timeProvider">The clock for retry delays, Retry-After dates and the circuit breaker.</param>
    /// <param name="primaryHandler">
    /// The handler that does the I/O; by default a <see cref="SocketsHttpHandler"/> that follows no redirects and
    /// recycles pooled connections every 5 minutes (so DNS changes are seen). Tests pass a recording one.
    /// </param>
    /// <param name="logger">Where the handler logs retries, the breaker opening and 429 pauses (no URLs, numbers or texts).</param>
    /// <param name="sendGate">The process's <see cref="TwilioSendGate"/>; null builds one from <see cref="TwilioOptions.MaxSendsPerSecond"/> for this client.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid.</exception>
    public static TwilioRestClient Create(
        TwilioOptions options,
        TimeProvider timeProvider,
        HttpMessageHandler? primaryHandler = null,
        ILogger<TwilioResilienceHandler>? logger = null,
        TwilioSendGate? sendGate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        TwilioSdkWarmUp.StartInBackground();
        var handler = new TwilioResilienceHandler(options, timeProvider, logger, sendGate)
        {
            InnerHandler = primaryHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };

        // The handler bounds each attempt; the HttpClient's own 100 s default would cut across retries and waits.
        var http = new System.Net.Http.HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        return new TwilioRestClient(options.BasicAuthUser, options.BasicAuthPassword, accountSid: options.AccountSid, httpClient: new SystemNetHttpClient(http))
        {
            // TWILIO_LOG_LEVEL=debug would make the SDK print request URLs (with the To number) to stdout.
            LogLevel = null,
        };
    }
}
