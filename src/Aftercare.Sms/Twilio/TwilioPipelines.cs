using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The Polly pipelines <see cref="TwilioResilienceHandler"/> runs each request through, outermost first: retry, then
/// (creates only) the circuit breaker, then, around each attempt, the <see cref="TwilioSendGate"/> (creates only) and
/// the per-attempt timeout. The gate's wait is outside the timeout, so a send that waited long at the gate is never
/// taken for one Twilio did not answer. Creates retry only what proves nothing was created and sit behind the breaker,
/// so an outage stops the backlog instead of queueing timeouts; reads may retry any transient fault.
/// </summary>
internal static class TwilioPipelines
{
    public static ResiliencePipeline<HttpResponseMessage> ForCreate(TwilioOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var resilience = options.Resilience;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(Retry(resilience, timeProvider, logger, TwilioOutcomes.ProvesNothingCreated))
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(TwilioOutcomes.IsFailure(args.Outcome)),
                FailureRatio = resilience.BreakerFailureRatio,
                MinimumThroughput = resilience.BreakerMinimumThroughput,
                SamplingDuration = resilience.BreakerSamplingDuration,
                BreakDuration = resilience.BreakerBreakDuration,
                OnOpened = args =>
                {
                    logger.LogWarning("Twilio circuit opened for {BreakDuration} after {Outcome}", args.BreakDuration, TwilioOutcomes.Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public static ResiliencePipeline<HttpResponseMessage> ForRead(TwilioOptions options, TimeProvider timeProvider, ILogger logger) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(Retry(options.Resilience, timeProvider, logger, TwilioOutcomes.IsTransient))
            .Build();

    /// <summary>The timeout of one HTTP attempt, response body included.</summary>
    public static ResiliencePipeline<HttpResponseMessage> ForAttempt(TwilioOptions options, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.RequestTimeout)
            .Build();

    private static RetryStrategyOptions<HttpResponseMessage> Retry(
        TwilioResilienceOptions resilience, TimeProvider timeProvider, ILogger logger, Func<Outcome<HttpResponseMessage>, bool> retryable) => new()
        {
            // Polly needs at least one attempt configured; zero retries is expressed by never handling an outcome.
            ShouldHandle = args => ValueTask.FromResult(
                resilience.MaxRetryAttempts > 0 && retryable(args.Outcome) && !RetryAfterTooLong(args.Outcome, resilience, timeProvider)),
            MaxRetryAttempts = Math.Max(1, resilience.MaxRetryAttempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = resilience.UseJitter,
            Delay = resilience.RetryBaseDelay,
            MaxDelay = resilience.RetryMaxDelay,
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
                    ? TwilioOutcomes.RetryAfter(args.Outcome.Result, timeProvider.GetUtcNow())
                    : null),
            OnRetry = args =>
            {
                logger.LogInformation(
                    "Twilio attempt {Attempt} got {Outcome}; retrying in {Delay}", args.AttemptNumber + 1, TwilioOutcomes.Describe(args.Outcome), args.RetryDelay);

                // The superseded response is never handed to the SDK; release its connection now.
                args.Outcome.Result?.Dispose();
                return ValueTask.CompletedTask;
            },
        };

    // A long Retry-After is not waited out inside a call; the 429 goes back to the caller, who schedules the text later.
    private static bool RetryAfterTooLong(Outcome<HttpResponseMessage> outcome, TwilioResilienceOptions resilience, TimeProvider timeProvider) =>
        TwilioOutcomes.RetryAfter(outcome.Result, timeProvider.GetUtcNow()) > resilience.RetryMaxDelay;
}
