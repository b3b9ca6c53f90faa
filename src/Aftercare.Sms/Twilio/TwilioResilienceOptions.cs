namespace Aftercare.Sms.Twilio;

/// <summary>
/// Retries and the circuit breaker around Twilio calls (<c>Aftercare__Twilio__Resilience__*</c>), applied by
/// <see cref="TwilioResilienceHandler"/> through Polly. Defaults suit production; tests shrink them.
/// </summary>
public sealed class TwilioResilienceOptions
{
    /// <summary>Retries after the first attempt, only for outcomes that prove nothing was created.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff delay; it doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait inside one call. A Retry-After longer than this is not waited out: the call gives up and the
    /// caller schedules the text for later instead of holding a dispatcher.
    /// </summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Randomises backoff delays (not a Retry-After wait), so many dispatchers do not retry in step.</summary>
    public bool UseJitter { get; set; } = true;

    /// <summary>Share of failed calls in <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Create attempts needed in <see cref="BreakerSamplingDuration"/> before the ratio can open the circuit.</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window the failure ratio is measured over.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses creates; what is left of it is the Retry-After of a text it refused.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A cap on pages followed by one list, so a runaway paging loop fails instead of spinning.</summary>
    public int MaxListPages { get; set; } = 50;

    internal IEnumerable<string> Problems()
    {
        if (MaxRetryAttempts is < 0 or > 10)
        {
            yield return "Resilience.MaxRetryAttempts must be 0 to 10.";
        }

        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            yield return "Resilience.RetryBaseDelay must be non-negative and no more than RetryMaxDelay.";
        }

        if (BreakerFailureRatio is <= 0 or > 1)
        {
            yield return "Resilience.BreakerFailureRatio must be above 0 and at most 1.";
        }

        if (BreakerMinimumThroughput < 2)
        {
            yield return "Resilience.BreakerMinimumThroughput must be at least 2.";
        }

        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500) || BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return "Resilience.BreakerSamplingDuration and BreakerBreakDuration must be at least 500 ms.";
        }

        if (MaxListPages < 1)
        {
            yield return "Resilience.MaxListPages must be at least 1.";
        }
    }
}
