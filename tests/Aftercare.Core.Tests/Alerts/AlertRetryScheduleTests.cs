using Aftercare.Core.Alerts;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Alerts;

/// <summary>The stored backoff between alert attempts: doubling, capped, and jittered within the upper half.</summary>
public sealed class AlertRetryScheduleTests
{
    private static readonly AlertDeliveryOptions Options = new();

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(5, 480)]
    [InlineData(6, 900)]
    [InlineData(40, 900)]
    public void Each_wait_lies_between_half_and_all_of_the_doubled_capped_delay(int attempts, int ceilingSeconds)
    {
        var random = new Random(14);
        var waits = Enumerable.Range(0, 200).Select(_ => AlertRetrySchedule.Delay(attempts, Options, random)).ToList();

        Assert.All(waits, wait => Assert.InRange(wait, Duration.FromSeconds(ceilingSeconds / 2.0), Duration.FromSeconds(ceilingSeconds)));
        Assert.True(waits.Distinct().Count() > 100, "the waits are spread, not in lockstep");
    }

    [Fact]
    public void A_day_of_retries_is_between_about_a_hundred_and_two_hundred_attempts()
    {
        // Against a clinic endpoint down for the whole window: how many attempts 24 h buys, at the slowest and fastest draws.
        Assert.InRange(AttemptsWithin(Duration.FromHours(24), new FixedRandom(1.0)), 90, 110);
        Assert.InRange(AttemptsWithin(Duration.FromHours(24), new FixedRandom(0.0)), 185, 210);
    }

    private static int AttemptsWithin(Duration window, Random random)
    {
        var elapsed = Duration.Zero;
        var attempts = 0;
        while (elapsed < window)
        {
            attempts++;
            elapsed += AlertRetrySchedule.Delay(attempts, Options, random);
        }

        return attempts;
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }
}
