using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>Twilio refusing a text for good: the message settles with Twilio's code and is never tried again.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class RejectionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Unsubscribed_21610_suppresses_the_message_records_the_opt_out_and_suppresses_the_rest()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(
            clinic,
            new StagePlan("day-1", Duration.FromMinutes(-1)),
            new StagePlan("day-3", Duration.FromDays(2)),
            new StagePlan("week-6", Duration.FromDays(41)));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.Unsubscribed);

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Settled, report.Sent));
        var first = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Suppressed, "21610"), (first.Status, first.ErrorCode));
        Assert.Contains("unsubscribed", first.StatusReason, StringComparison.Ordinal);
        Assert.True(await rig.OptOuts.IsOptedOutAsync(clinic.Id, seeded.Phone, CancellationToken.None));
        foreach (var stage in new[] { "day-3", "week-6" })
        {
            Assert.Equal(MessageStatus.Suppressed, (await rig.StoredAsync(seeded, stage)).Status);
        }

        // Later sweeps, at each remaining due time, only clear the index.
        rig.Advance(Duration.FromDays(2));
        await rig.SweepAsync();
        rig.Advance(Duration.FromDays(40));
        var last = await rig.SweepAsync();

        Assert.Equal((1, 0), (last.Settled, last.Sent));
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Empty(rig.Twilio.Created);
        Assert.Empty(rig.Events.Sent);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task After_21610_another_treatment_for_the_same_number_is_suppressed_without_calling_twilio()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var first = await rig.SeedForAsync(clinic, phone, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var second = await rig.SeedForAsync(clinic, phone, new StagePlan("day-1", Duration.FromHours(1)));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.Unsubscribed);
        await rig.SweepAsync();

        rig.Advance(Duration.FromHours(1));
        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Settled, report.Sent));
        Assert.Equal(MessageStatus.Suppressed, (await rig.StoredAsync(first, "day-1")).Status);
        var stored = await rig.StoredAsync(second, "day-1");
        Assert.Equal((MessageStatus.Suppressed, "The client opted out of texts from this clinic."), (stored.Status, stored.StatusReason));
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task Invalid_number_21211_fails_the_message_with_the_code_and_a_reason_a_clinic_can_read()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)), new StagePlan("day-3", Duration.FromDays(2)));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.InvalidNumber);

        var report = await rig.SweepAsync();
        await rig.SweepAsync();

        Assert.Equal(1, report.Settled);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Failed, "21211"), (stored.Status, stored.ErrorCode));
        Assert.Equal(
            "The number cannot receive texts (not a valid mobile number): The number is invalid or cannot receive texts.",
            stored.StatusReason);
        Assert.DoesNotContain(seeded.Phone[1..], stored.StatusReason, StringComparison.Ordinal);
        var settled = Assert.Single(rig.Events.Settled);
        Assert.Equal(("day-1", MessageStatus.Failed, "21211"), (settled.StageId, settled.Status, settled.ErrorCode));
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Empty(rig.Twilio.Created);

        // Only that message failed: the next stage stays scheduled, and the failed one left the index.
        Assert.Equal(MessageStatus.Scheduled, (await rig.StoredAsync(seeded, "day-3")).Status);
        Assert.Equal("day-3", Assert.Single(await rig.AllDueEntriesAsync()).StageId);
        Assert.False(await rig.OptOuts.IsOptedOutAsync(clinic.Id, seeded.Phone, CancellationToken.None));
    }
}
