using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The HTTP handler under the Twilio SDK's <c>SystemNetHttpClient</c>, where resilience can work although the SDK's calls
/// take no <see cref="CancellationToken"/> and hide Retry-After. For each request it:
/// <list type="number">
/// <item>refuses any host but https://api.twilio.com (the SDK's address for the 2010 API), so our credentials go
/// nowhere else, and moves the request to <see cref="TwilioOptions.BaseUri"/>, path and query kept;</item>
/// <item>runs it through the create pipeline (POST: retries only a 429 or a refused connection, honouring Retry-After up
/// to <see cref="TwilioResilienceOptions.RetryMaxDelay"/>; circuit breaker) or the read pipeline (GET: retries any
/// transient fault), each attempt bounded by <see cref="TwilioOptions.RequestTimeout"/> including the response body;</item>
/// <item>holds each create attempt at the process's <see cref="TwilioSendGate"/> (the ceiling on creates per second and
/// the shared pause after a 429) before it leaves, outside the attempt's timeout, and reports every 429 to the gate;</item>
/// <item>links the caller's token and reports the last status and Retry-After through the <see cref="TwilioCall"/> the
/// caller started, when there is one.</item>
/// </list>
/// Exceptions thrown here (<c>BrokenCircuitException</c>, <c>TimeoutRejectedException</c>, <see cref="HttpRequestException"/>,
/// <see cref="OperationCanceledException"/>, <see cref="TwilioRequestException"/>) reach the caller wrapped by the SDK in an
/// <c>ApiConnectionException</c>. The handler is thread-safe and meant to live as long as its client (one breaker per handler).
/// </summary>
public sealed class TwilioResilienceHandler : DelegatingHandler
{
    /// <summary>The host the SDK builds for <c>Twilio.Rest.Domain.Api</c> with no region or edge.</summary>
    public const string TwilioApiHost = "api.twilio.com";

    private readonly string _baseUri;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline<HttpResponseMessage> _create;
    private readonly ResiliencePipeline<HttpResponseMessage> _read;
    private readonly ResiliencePipeline<HttpResponseMessage> _attempt;
    private readonly bool _ownsGate;

    /// <param name="options">Validated here.</param>
    /// <param name="timeProvider">The clock for retry delays, Retry-After dates, the breaker and the gate's pauses.</param>
    /// <param name="logger">Where retries, the breaker and the gate's pauses are logged.</param>
    /// <param name="sendGate">The process's gate; null builds one from <see cref="TwilioOptions.MaxSendsPerSecond"/>, owned (and disposed) by this handler.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (<see cref="TwilioOptions.Validate"/>).</exception>
    public TwilioResilienceHandler(TwilioOptions options, TimeProvider timeProvider, ILogger<TwilioResilienceHandler>? logger = null, TwilioSendGate? sendGate = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _baseUri = options.BaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _timeProvider = timeProvider;
        ILogger log = logger ?? NullLogger<TwilioResilienceHandler>.Instance;
        _create = TwilioPipelines.ForCreate(options, timeProvider, log);
        _read = TwilioPipelines.ForRead(options, timeProvider, log);
        _attempt = TwilioPipelines.ForAttempt(options, timeProvider);
        _ownsGate = sendGate is null;
        SendGate = sendGate ?? new TwilioSendGate(options.MaxSendsPerSecond, timeProvider, log, options.Resilience.RetryMaxDelay);
    }

    /// <summary>The gate every create through this handler waits at.</summary>
    public TwilioSendGate SendGate { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.RequestUri = Rebase(request.RequestUri);
        var call = TwilioCall.Current;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call?.CancellationToken ?? CancellationToken.None);
        var isRead = request.Method == HttpMethod.Get;
        return await (isRead ? _read : _create).ExecuteAsync(
            static (state, token) => state.Self.AttemptAsync(state.Request, state.Call, state.Gated, token),
            (Self: this, Request: request, Call: call, Gated: !isRead),
            linked.Token);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsGate)
        {
            SendGate.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The SDK only ever sends asynchronously; a synchronous send would bypass the pipeline and the host check.</summary>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Twilio requests go through SendAsync only.");

    private async ValueTask<HttpResponseMessage> AttemptAsync(HttpRequestMessage request, TwilioCall? call, bool gated, CancellationToken cancellationToken)
    {
        if (gated)
        {
            await SendGate.WaitAsync(cancellationToken);
        }

        return await _attempt.ExecuteAsync(
            static (state, token) => state.Self.SendOnceAsync(state.Request, state.Call, token),
            (Self: this, Request: request, Call: call),
            cancellationToken);
    }

    private async ValueTask<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, TwilioCall? call, CancellationToken cancellationToken)
    {
        call?.Attempting();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException refused) when (TwilioOutcomes.IsConnectionRefused(refused))
        {
            call?.Refused();
            throw;
        }

        try
        {
            // Read the body inside the attempt, so the attempt's timeout covers it and a reset mid-body is this attempt's.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        var retryAfter = TwilioOutcomes.RetryAfter(response, _timeProvider.GetUtcNow());
        call?.Answered(response.StatusCode, retryAfter);
        if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
        {
            SendGate.RateLimited(retryAfter);
        }

        return response;
    }

    private Uri Rebase(Uri? requested)
    {
        if (requested is not { IsAbsoluteUri: true } || requested.Scheme != Uri.UriSchemeHttps || !requested.IsDefaultPort
            || requested.UserInfo.Length > 0 || !string.Equals(requested.Host, TwilioApiHost, StringComparison.OrdinalIgnoreCase))
        {
            throw new TwilioRequestException($"Refused to send Twilio credentials to '{requested?.Host}': only https://{TwilioApiHost} is Twilio's API here.");
        }

        return new Uri(_baseUri + requested.PathAndQuery, UriKind.Absolute);
    }
}
