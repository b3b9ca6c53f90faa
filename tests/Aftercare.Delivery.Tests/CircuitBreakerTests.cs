using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Twilio failing repeatedly opens the client's circuit: texts are then deferred without Twilio being called, never
/// failed, and go once the circuit closes. The breaker reads the rig's manual clock, so time is moved, not waited.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class CircuitBreakerTests(AzuriteFixture azurite)
{
    private static readonly Duration BreakDuration = Duration.FromMinutes(2);

    [Fact]
    public async Task An_open_circuit_defers_messages_without_calling_twilio_and_they_go_once_it_closes()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o =>
        {
            o.Twilio = t =>
            {
                // The first message's two attempts (one retry) both get a 429: two failures open the circuit.
                t.Resilience.MaxRetryAttempts = 1;
                t.Resilience.BreakerMinimumThroughput = 2;
                t.Resilience.BreakerFailureRatio = 1;
                t.Resilience.BreakerSamplingDuration = TimeSpan.FromMinutes(1);
                t.Resilience.BreakerBreakDuration = BreakDuration.ToTimeSpan();
            };

            // One at a time, so the circuit is open before the next four are tried.
            o.Dispatch = d => d.MaxParallelism = 1;
        });
        var clinic = await rig.CreateClinicAsync();
        var stages = Enumerable.Range(1, 5).Select(i => new StagePlan($"stage-{i}", Duration.FromSeconds(-60 + i))).ToArray();
        var seeded = await rig.SeedAsync(clinic, stages);
        rig.Twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);

        var report = await rig.SweepAsync();

        Assert.Equal((5, 0, 0), (report.Deferred, report.Sent, report.Settled));
        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        Assert.Empty(rig.Twilio.Created);
        foreach (var stage in stages)
        {
            var stored = await rig.StoredAsync(seeded, stage.StageId);
            Assert.Equal(MessageStatus.Scheduled, stored.Status);
            Assert.StartsWith("Deferred: ", stored.StatusReason, StringComparison.Ordinal);
        }

        Assert.Equal("20429", (await rig.StoredAsync(seeded, "stage-1")).ErrorCode);
        Assert.Equal(4, rig.Events.Deferred.Count(r => r.Contains("circuit open", StringComparison.Ordinal)));
        // The 429'd message waits the minimum delay; the others wait out the circuit's own Retry-After, its break.
        var openedAt = rig.Now;
        var entries = (await rig.AllDueEntriesAsync()).ToDictionary(e => e.StageId, e => e.DueAt);
        Assert.Equal(openedAt + rig.Options.MinimumRetryDelay, entries["stage-1"]);
        Assert.All(stages.Skip(1), s => Assert.Equal(openedAt + BreakDuration, entries[s.StageId]));

        // Still open a minute later: the message due then is deferred again, and Twilio is not called.
        rig.Clock.Set(entries["stage-1"].ToDateTimeOffset());
        var whileOpen = await rig.SweepAsync();
        Assert.Equal((1, 0, 1), (whileOpen.Due, whileOpen.Sent, whileOpen.Deferred));
        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        Assert.Equal(MessageStatus.Scheduled, (await rig.StoredAsync(seeded, "stage-1")).Status);

        // Once the break is over the first send is the half-open probe; it succeeds, the circuit closes, the rest follow.
        rig.Clock.Set((openedAt + BreakDuration).ToDateTimeOffset());
        var closed = await rig.SweepAsync();

        Assert.Equal(5, closed.Sent);
        Assert.Equal(7, rig.Twilio.CreateRequests.Count);
        Assert.Equal(5, rig.Twilio.Created.Count);
        foreach (var stage in stages)
        {
            var stored = await rig.StoredAsync(seeded, stage.StageId);
            Assert.Equal(MessageStatus.Sent, stored.Status);
            Assert.Equal(seeded.Message(stage.StageId).Body, Assert.Single(rig.Twilio.Created, m => m.Sid == stored.ProviderMessageId).Body);
        }

        Assert.Empty(await rig.AllDueEntriesAsync());
        Assert.DoesNotContain(rig.Events.Settled, s => s.Status == MessageStatus.Failed);
    }
}
