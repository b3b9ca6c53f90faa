using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The one gate every Twilio message create in this process passes before its request leaves, however many dispatchers
/// run at once:
/// <list type="bullet">
/// <item>a ceiling on creates per second (<see cref="TwilioOptions.MaxSendsPerSecond"/>), enforced by a
/// <see cref="SlidingWindowRateLimiter"/> (System.Threading.RateLimiting) with an unbounded first-come queue;</item>
/// <item>a shared pause after Twilio answers 429 (error 20429, "Too many requests": the account's REST API concurrency
/// is exceeded; Twilio documents that such requests are not processed and are safe to retry after backing off). Every
/// send, queued or new, waits until the Retry-After has passed (<see cref="DefaultPause"/> when there is none);</item>
/// <item>a lowered ceiling after each 429 episode (halved, at least 1 a second) that climbs back by a tenth of the
/// configured ceiling per second without a 429 (additive increase, multiplicative decrease).</item>
/// </list>
/// Waiting here sends nothing: a wait ended by the caller's token throws <see cref="OperationCanceledException"/> before
/// any request leaves. Thread-safe; one per process, owned by <see cref="TwilioResilienceHandler"/>. Waits and pauses
/// are logged and measured on the <see cref="MeterName"/> meter (no numbers or texts).
/// </summary>
public sealed class TwilioSendGate : IDisposable
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> the gate's instruments are on.</summary>
    public const string MeterName = "Aftercare.Twilio";

    /// <summary>The pause after a 429 that carries no Retry-After.</summary>
    public static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause one 429 imposes by default; a longer Retry-After is cut to it.</summary>
    public static readonly TimeSpan DefaultMaxPause = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan RecoveryStep = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TwilioSendGateMetrics _metrics;
    private readonly TimeSpan _maxPause;
    private RateLimiter _limiter;
    // Timestamps (TimeProvider.GetTimestamp), not wall-clock time: a pause must end even under a clock that a test holds still.
    private long _pausedUntil = long.MinValue;
    private long _ceilingChangedAt = long.MinValue;
    private int _waiting;
    private bool _disposed;

    /// <param name="maxSendsPerSecond">The configured ceiling, 1 or more.</param>
    /// <param name="timeProvider">Its timestamps time the pauses and the ceiling's recovery (the rate limiter keeps real time).</param>
    /// <param name="maxPause">
    /// The longest shared pause (default <see cref="DefaultMaxPause"/>). <see cref="TwilioResilienceHandler"/> passes
    /// <see cref="TwilioResilienceOptions.RetryMaxDelay"/>: a longer Retry-After is the dispatcher's to honour, by
    /// deferring the text in storage, not by holding every send in the instance.
    /// </param>
    /// <param name="meterFactory">
    /// Where the gate's <see cref="MeterName"/> meter comes from: the host's <see cref="IMeterFactory"/> scopes it to that
    /// container, so a listener there sees this gate's instruments and no other's. Null creates an unscoped meter.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSendsPerSecond"/> is below 1.</exception>
    public TwilioSendGate(int maxSendsPerSecond, TimeProvider timeProvider, ILogger? logger = null, TimeSpan? maxPause = null, IMeterFactory? meterFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSendsPerSecond, 1);
        ArgumentNullException.ThrowIfNull(timeProvider);
        MaxSendsPerSecond = maxSendsPerSecond;
        Ceiling = maxSendsPerSecond;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        _maxPause = maxPause ?? DefaultMaxPause;
        _limiter = NewLimiter(maxSendsPerSecond);
        _metrics = new TwilioSendGateMetrics(this, meterFactory);
    }

    /// <summary>The configured ceiling, creates per second.</summary>
    public int MaxSendsPerSecond { get; }

    /// <summary>The ceiling in force now, creates per second: <see cref="MaxSendsPerSecond"/>, or lower after a 429.</summary>
    public int Ceiling { get; private set; }

    /// <summary>Sends waiting at the gate now (for a pause or for the ceiling).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Whether a 429 pause is in force now.</summary>
    public bool IsPaused
    {
        get
        {
            lock (_lock)
            {
                return _timeProvider.GetTimestamp() < _pausedUntil;
            }
        }
    }

    /// <summary>Waits until a create may leave: past any 429 pause, then a permit under the ceiling.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting; nothing was sent.</exception>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        Interlocked.Increment(ref _waiting);
        try
        {
            await WaitOutPauseAsync(cancellationToken);
            while (!await TryAcquireAsync(cancellationToken))
            {
                // The ceiling changed while this send was queued: queue again under the new one.
            }

            // A 429 may have started a pause while this send was queued for its permit.
            await WaitOutPauseAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            _metrics.Waited(_timeProvider.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Twilio answered 429: pauses every send until <paramref name="retryAfter"/> (at most the gate's longest pause) has
    /// passed and, once per episode (a 429 that arrives while a pause is in force belongs to it), halves the ceiling.
    /// </summary>
    public void RateLimited(TimeSpan? retryAfter)
    {
        var pause = retryAfter is { } after ? TimeSpan.FromTicks(Math.Clamp(after.Ticks, 0, _maxPause.Ticks)) : DefaultPause;
        RateLimiter? replaced = null;
        int ceiling;
        bool newEpisode;
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            newEpisode = now >= _pausedUntil;
            var until = now + Ticks(pause);
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            if (newEpisode && Ceiling > 1)
            {
                replaced = SetCeiling(Math.Max(1, Ceiling / 2), now);
            }

            ceiling = Ceiling;
        }

        replaced?.Dispose();
        if (newEpisode)
        {
            _metrics.Paused(pause);
            _logger.LogWarning(
                "Twilio answered 429: every send in this instance pauses for {Pause}; ceiling now {Ceiling} creates a second (configured {MaxSendsPerSecond})",
                pause, ceiling, MaxSendsPerSecond);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _limiter.Dispose();
        _metrics.Dispose();
    }

    private async ValueTask WaitOutPauseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan left;
            lock (_lock)
            {
                var now = _timeProvider.GetTimestamp();
                left = now >= _pausedUntil ? TimeSpan.Zero : TimeSpan.FromSeconds((double)(_pausedUntil - now) / _timeProvider.TimestampFrequency);
            }

            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left, _timeProvider, cancellationToken);
        }
    }

    private async ValueTask<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var limiter = CurrentLimiter();
        try
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            return lease.IsAcquired;
        }
        catch (ObjectDisposedException) when (!_disposed)
        {
            return false;
        }
    }

    // The limiter in force, after raising the ceiling a step if a second has passed without a 429.
    private RateLimiter CurrentLimiter()
    {
        RateLimiter? replaced = null;
        RateLimiter current;
        int ceiling = 0;
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            if (Ceiling < MaxSendsPerSecond && now >= _pausedUntil && now - _ceilingChangedAt >= Ticks(RecoveryStep))
            {
                replaced = SetCeiling(Math.Min(MaxSendsPerSecond, Ceiling + Math.Max(1, MaxSendsPerSecond / 10)), now);
                ceiling = Ceiling;
            }

            current = _limiter;
        }

        if (replaced is not null)
        {
            replaced.Dispose();
            _logger.LogInformation("Twilio send ceiling recovering: {Ceiling} creates a second (configured {MaxSendsPerSecond})", ceiling, MaxSendsPerSecond);
        }

        return current;
    }

    // Called under the lock; the caller disposes the returned limiter outside it, which fails its queued waits so they
    // queue again at the new one.
    private RateLimiter SetCeiling(int ceiling, long now)
    {
        var old = _limiter;
        Ceiling = ceiling;
        _ceilingChangedAt = now;
        _limiter = NewLimiter(ceiling);
        return old;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);

    private static SlidingWindowRateLimiter NewLimiter(int perSecond) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = perSecond,
        Window = TimeSpan.FromSeconds(1),
        SegmentsPerWindow = 10,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        AutoReplenishment = true,
    });
}
