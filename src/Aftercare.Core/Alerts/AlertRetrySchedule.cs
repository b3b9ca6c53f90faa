using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>
/// The wait before an alert's next attempt across sweeps: exponential from <see cref="AlertDeliveryOptions.FirstRetryDelay"/>,
/// capped at <see cref="AlertDeliveryOptions.MaxRetryDelay"/>, with "equal jitter" (a uniform draw from the upper
/// half), so many alerts that failed together against one clinic do not retry in lockstep. The wait has to outlive the
/// process (it is stored on the row), which an in-process Polly retry cannot; Polly retries within one attempt.
/// </summary>
public static class AlertRetrySchedule
{
    /// <summary>The wait after failed attempt number <paramref name="attempts"/> (1-based).</summary>
    public static Duration Delay(int attempts, AlertDeliveryOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(options.FirstRetryDelay.TotalSeconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalSeconds);
        return Duration.FromSeconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }
}
