using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The Polly pipelines around Twilio calls. Creates retry only what proves nothing was created and sit behind a
/// circuit breaker, so an outage stops the backlog instead of queueing timeouts; reads may retry any transient fault.
/// </summary>
internal static class TwilioPipelines
{
    public static ResiliencePipeline<HttpResponseMessage> ForCreate(TwilioOptions options, TimeProvider timeProvider)
    {
        var resilience = options.Resilience;
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(Retry(resilience, timeProvider, TwilioOutcomes.ProvesNothingCreated))
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(TwilioOutcomes.IsFailure(args.Outcome)),
                FailureRatio = resilience.BreakerFailureRatio,
                MinimumThroughput = resilience.BreakerMinimumThroughput,
                SamplingDuration = resilience.BreakerSamplingDuration,
                BreakDuration = resilience.BreakerBreakDuration,
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    public static ResiliencePipeline<HttpResponseMessage> ForRead(TwilioOptions options, TimeProvider timeProvider) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddRetry(Retry(options.Resilience, timeProvider, TwilioOutcomes.IsTransient))
            .AddTimeout(options.RequestTimeout)
            .Build();

    private static RetryStrategyOptions<HttpResponseMessage> Retry(
        TwilioResilienceOptions resilience, TimeProvider timeProvider, Func<Outcome<HttpResponseMessage>, bool> retryable) => new()
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
        };

    // A long Retry-After is not waited out inside a call; the 429 goes back to the caller, who schedules the text later.
    private static bool RetryAfterTooLong(Outcome<HttpResponseMessage> outcome, TwilioResilienceOptions resilience, TimeProvider timeProvider) =>
        TwilioOutcomes.RetryAfter(outcome.Result, timeProvider.GetUtcNow()) > resilience.RetryMaxDelay;
}
