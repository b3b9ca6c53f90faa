using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// One process has at most <see cref="DispatchOptions.MaxParallelism"/> sends in flight at the provider, whatever it
/// drains, while twice as many texts are read and claimed, so a send slot that frees never waits for storage (issue 16:
/// one worker at 8 in flight near 8 ÷ latency).
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class SendSlotTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_drains_in_one_process_share_its_send_slots_while_further_texts_are_claimed()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Dispatch = d => (d.Shards, d.MaxParallelism) = (2, 2));
        var clinic = await rig.CreateClinicAsync();
        var seeded = new List<SeededTreatment>();
        while (seeded.Count(t => DispatchShards.Of(t.TreatmentId, 2) == 0) < 4 || seeded.Count(t => DispatchShards.Of(t.TreatmentId, 2) == 1) < 4)
        {
            seeded.Add(await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1))));
        }

        var gate = new GatedSmsSender(rig.Sender);
        using var dispatcher = rig.CreateDispatcher(gate);
        var drains = Enumerable.Range(0, 2).Select(shard => dispatcher.DrainShardAsync(shard, rig.Now + Duration.FromMinutes(5), None)).ToList();

        // Each drain works on up to four texts at once; the process sends two.
        await UntilAsync(async () => gate.InFlight == 2 && await ClaimedAsync(rig, seeded) >= 4);
        Assert.Equal(2, gate.MostInFlight);

        gate.Open();
        var reports = await Task.WhenAll(drains);

        Assert.Equal(seeded.Count, reports.Sum(r => r.Sent));
        Assert.Equal(2, gate.MostInFlight);
        Assert.Equal(seeded.Select(t => t.Phone).Order(StringComparer.Ordinal), rig.Twilio.Created.Select(m => m.To).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_drain_claims_nothing_at_or_after_its_deadline_and_sends_what_it_claimed_before()
    {
        // A long lease (send deadline 5 min) so the claim waiting for the slot is still young after the drain's deadline.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Dispatch = d => (d.Shards, d.MaxParallelism, d.Lease) = (1, 1, Duration.FromMinutes(10)));
        var seeded = await SeedDueAsync(rig, 5);
        var gate = new GatedSmsSender(rig.Sender);
        using var dispatcher = rig.CreateDispatcher(gate);
        var drain = dispatcher.DrainShardAsync(0, rig.Now + Duration.FromMinutes(1), None);

        // One text at the provider, one claimed and waiting for the slot; then the drain's time runs out.
        await UntilAsync(async () => gate.InFlight == 1 && await ClaimedAsync(rig, seeded) == 2);
        rig.Advance(Duration.FromMinutes(2));
        gate.Open();
        var report = await drain;

        Assert.Equal((5, 2, 3), (report.Due, report.Sent, report.Held));
        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        Assert.Equal(3, (await rig.AllDueEntriesAsync()).Count);
        Assert.Equal(3, (await rig.SweepAsync()).Sent);
    }

    [Fact]
    public async Task A_claim_that_finds_no_free_slot_within_the_send_deadline_is_released_for_later_not_in_doubt()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Dispatch = d => (d.Shards, d.MaxParallelism) = (1, 1));
        var seeded = await SeedDueAsync(rig, 2);
        var gate = new GatedSmsSender(rig.Sender);
        using var dispatcher = rig.CreateDispatcher(gate);
        var drain = dispatcher.DrainShardAsync(0, rig.Now + Duration.FromMinutes(5), None);
        await UntilAsync(async () => gate.InFlight == 1 && await ClaimedAsync(rig, seeded) == 2);

        // Past the send deadline (half the 2 min lease): the first send is cut off in doubt, the waiting claim never sent.
        rig.Advance(Duration.FromSeconds(61));
        var report = await drain;
        gate.Open();

        Assert.Equal((1, 1), (report.InDoubt, report.Deferred));
        Assert.Empty(rig.Twilio.CreateRequests);
        var waiting = (await Task.WhenAll(seeded.Select(t => rig.StoredAsync(t, "day-1")))).Single(m => m.Status == MessageStatus.Scheduled);
        Assert.StartsWith("Deferred: No send slot came free", waiting.StatusReason, StringComparison.Ordinal);
        Assert.Null(waiting.LeaseUntil);
    }

    private static async Task<List<SeededTreatment>> SeedDueAsync(DeliveryRig rig, int texts)
    {
        var clinic = await rig.CreateClinicAsync();
        var seeded = new List<SeededTreatment>();
        for (var i = 0; i < texts; i++)
        {
            seeded.Add(await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1))));
        }

        return seeded;
    }

    private static async Task<int> ClaimedAsync(DeliveryRig rig, IEnumerable<SeededTreatment> seeded)
    {
        var stored = await Task.WhenAll(seeded.Select(t => rig.StoredAsync(t, "day-1")));
        return stored.Count(m => m.Status == MessageStatus.Sending);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The dispatcher never reached the expected state.");
            await Task.Delay(20);
        }
    }
}
