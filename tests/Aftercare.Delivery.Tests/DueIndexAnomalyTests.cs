using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Index entries left by partial writes: a registration that wrote its entries but not (yet) its treatment, and a move
/// (quiet hours, retry later) whose old entry outlived it. Neither may lose a message or send one twice.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class DueIndexAnomalyTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_entry_whose_treatment_never_landed_is_kept_through_the_grace_then_dropped()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var orphan = new DueEntry(rig.Now - Duration.FromMinutes(1), clinic.Id, TreatmentIds.For(clinic.Id, "never-written"), "day-1");
        await rig.DueIndex.AddAsync([orphan], None);

        var early = await rig.SweepAsync();
        Assert.Equal((1, 1), (early.Due, early.Held));
        Assert.Single(await rig.AllDueEntriesAsync());

        rig.Advance(rig.Options.OrphanGrace);
        var late = await rig.SweepAsync();

        Assert.Equal(1, late.Settled);
        Assert.Empty(await rig.AllDueEntriesAsync());
        Assert.Empty(rig.Twilio.CreateRequests);
    }

    [Fact]
    public async Task An_entry_written_before_its_treatment_is_sent_once_the_treatment_lands()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));

        // The registrar writes the index first; an entry for a stage the stored treatment lacks is still being written.
        var ahead = new DueEntry(rig.Now - Duration.FromMinutes(1), clinic.Id, seeded.TreatmentId, "not-yet-written");
        await rig.DueIndex.AddAsync([ahead], None);

        var report = await rig.SweepAsync();

        Assert.Equal((2, 1, 1), (report.Due, report.Sent, report.Held));
        Assert.Equal("not-yet-written", Assert.Single(await rig.AllDueEntriesAsync()).StageId);
        Assert.Single(rig.Twilio.Created);
    }

    [Fact]
    public async Task A_message_with_a_leftover_second_entry_is_sent_once_and_both_entries_go()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-2)));

        // As if a move added its new entry and storage failed before the old one was removed.
        await rig.DueIndex.AddAsync([new DueEntry(rig.Now - Duration.FromMinutes(1), clinic.Id, seeded.TreatmentId, "day-1")], None);
        Assert.Equal(2, (await rig.AllDueEntriesAsync()).Count);

        var first = await rig.SweepAsync();
        var second = await rig.SweepAsync();

        Assert.Equal(2, first.Due);
        Assert.Equal(1, first.Sent + second.Sent);
        var created = Assert.Single(rig.Twilio.Created);
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Equal(created.Sid, (await rig.StoredAsync(seeded, "day-1")).ProviderMessageId);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }
}
