using System.Net;
using System.Net.Http.Headers;
using Aftercare.Core;
using Aftercare.Core.Alerts;
using Aftercare.Core.Security;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Aftercare.Functions.Alerts;

/// <summary>
/// Posts an alert to a clinic: JSON (<see cref="AlertPayload"/>), signed with the clinic's webhook secret in the
/// <c>Aftercare-Signature</c> scheme (<see cref="ClinicSignature"/>, over <c>POST</c>, the URL's path and query as
/// sent, and the body), with the alert's id as <c>Idempotency-Key</c>. Each attempt runs through a Polly pipeline: a
/// few quick retries with jittered exponential backoff for what may pass at once (5xx, 408, 429, a dropped
/// connection, a timeout), each try limited by a timeout; the longer waits are the outbox's
/// (<see cref="AlertRetrySchedule"/>). The URL's shape is checked here and its addresses when connecting
/// (<see cref="AlertConnections"/>).
/// </summary>
internal sealed class HttpAlertSender(HttpClient http, AlertSenderOptions options, TimeProvider time) : IAlertSender
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline = CreatePipeline(options);

    public async Task<AlertSendResult> SendAsync(Uri endpoint, ClinicAlert alert, string webhookSecret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(alert);
        if (AlertAddressRules.ShapeProblem(endpoint, options.AllowPrivateNetworks) is { } problem)
        {
            return AlertSendResult.Failure("Refused: " + problem);
        }

        var body = AlertPayload.ToUtf8Json(alert);
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    // Signed per try: a retry after a long wait must not carry a stale timestamp.
                    using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    request.Headers.TryAddWithoutValidation(
                        ClinicSignature.HeaderName,
                        ClinicSignature.Create(webhookSecret, time.GetCurrentInstant(), "POST", endpoint.PathAndQuery, body));
                    request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, alert.Id);
                    return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                },
                cancellationToken);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? AlertSendResult.Success(status) : AlertSendResult.Failure($"HTTP {status}");
        }
        catch (HttpRequestException ex) when (ex.InnerException is AlertTargetRefusedException refused)
        {
            return AlertSendResult.Failure("Refused: " + refused.Message);
        }
        catch (HttpRequestException ex)
        {
            return AlertSendResult.Failure($"Transport: {ex.HttpRequestError}");
        }
        catch (TimeoutRejectedException)
        {
            return AlertSendResult.Failure("Timeout");
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> CreatePipeline(AlertSenderOptions options) =>

        // Waits between tries are real time: they happen within one call, whatever clock the outbox runs on.
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && IsTransient(args.Outcome)),
                MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { InnerException: AlertTargetRefusedException } } => false,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };
}

/// <summary>How <see cref="HttpAlertSender"/> posts (app settings <c>Aftercare__Alerts__…</c>).</summary>
internal sealed record AlertSenderOptions
{
    /// <summary>Local runs and tests only: allow http and loopback, private and link-local addresses.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Quick retries within one attempt; 0 for none.</summary>
    public int MaxRetryAttempts { get; init; } = 2;

    /// <summary>The first quick retry's wait, doubled per retry and jittered.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one try may take, connection included.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
