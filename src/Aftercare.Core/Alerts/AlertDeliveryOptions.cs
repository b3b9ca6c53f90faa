using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>How <see cref="AlertDelivery"/> works through the outbox.</summary>
public sealed record AlertDeliveryOptions
{
    /// <summary>Due alerts one sweep takes on.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Posts in flight per sweep.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>How long a claim holds an alert; a worker that dies mid-send frees it after this.</summary>
    public Duration Lease { get; init; } = Duration.FromMinutes(2);

    /// <summary>How long after its creation an alert is still retried (issue 14: at least 24 h); then it is failed.</summary>
    public Duration RetryFor { get; init; } = Duration.FromHours(24);

    /// <summary>How long a timer that did not run may leave an alert open past <see cref="RetryFor"/> and still have it found.</summary>
    public Duration LookbackMargin { get; init; } = Duration.FromDays(2);

    /// <summary>
    /// How far back a sweep looks for open alerts, and an erasure for alerts of the erased treatment:
    /// <see cref="RetryFor"/> plus <see cref="LookbackMargin"/> (3 days by default), so it always covers the retry window.
    /// </summary>
    public Duration Lookback => RetryFor + LookbackMargin;

    /// <summary>The wait after the first failed attempt; it doubles per attempt, up to <see cref="MaxRetryDelay"/>, jittered.</summary>
    public Duration FirstRetryDelay { get; init; } = Duration.FromSeconds(30);

    /// <summary>The longest wait between attempts.</summary>
    public Duration MaxRetryDelay { get; init; } = Duration.FromMinutes(15);
}
