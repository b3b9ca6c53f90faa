using Aftercare.Core.Alerts;
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
        Assert.True((await rig.OptOuts.ListOptedOutAsync(clinic.Id, CancellationToken.None)).Contains(seeded.Phone));
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

        // The clinic did not ask for opt-out alerts (the default): none waits in the outbox.
        Assert.Empty(await rig.Alerts.ListDueAsync(rig.Now, Duration.FromDays(60), 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_clinic_that_asked_for_opt_out_alerts_and_not_failures_gets_exactly_those()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync(alertTypes: new HashSet<ClinicAlertType> { ClinicAlertType.ClientReplyUrgent, ClinicAlertType.ClientOptedOut });
        var unsubscribed = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var invalid = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.Unsubscribed, TwilioStandInFault.InvalidNumber);

        await rig.SweepAsync();

        var settled = new[] { (await rig.StoredAsync(unsubscribed, "day-1")).Status, (await rig.StoredAsync(invalid, "day-1")).Status };
        Assert.Equal([MessageStatus.Failed, MessageStatus.Suppressed], settled.Order());
        var optedOut = (await rig.StoredAsync(unsubscribed, "day-1")).Status == MessageStatus.Suppressed ? unsubscribed : invalid;
        var alert = Assert.Single(await rig.Alerts.ListDueAsync(rig.Now, Duration.FromDays(1), 10, CancellationToken.None)).Value.Alert;
        Assert.Equal((ClinicAlertType.ClientOptedOut, $"optout-{optedOut.TreatmentId}-day-1"), (alert.Type, alert.Id));
        Assert.Null(alert.Message);
        Assert.Null(alert.Reply);
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

    [Theory]
    [InlineData(TwilioStandInFault.InvalidNumber, "21211")]
    [InlineData(TwilioStandInFault.NotMobile, "21614")]
    public async Task A_number_twilio_cannot_text_fails_the_message_and_skips_the_rest_of_the_treatment(TwilioStandInFault fault, string code)
    {
        // Defect 8: after 21211 the welcome failed but the other texts stayed scheduled for a number that can never get them.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(
            clinic,
            new StagePlan("day-1", Duration.FromMinutes(-1)),
            new StagePlan("day-3", Duration.FromDays(2)),
            new StagePlan("week-6", Duration.FromDays(41)));
        var other = await rig.SeedForAsync(clinic, seeded.Phone, new StagePlan("day-1", Duration.FromDays(1), FreshFor: Duration.FromDays(60)));
        rig.Twilio.EnqueueFaults(fault);

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Settled, report.Sent));
        var failed = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Failed, code), (failed.Status, failed.ErrorCode));
        Assert.Equal(
            "The number cannot receive texts (not a valid mobile number): The number is invalid or cannot receive texts.",
            failed.StatusReason);
        var reason = $"Not sent: the number cannot receive texts (Twilio error {code} on day-1).";
        foreach (var stage in new[] { "day-3", "week-6" })
        {
            var skipped = await rig.StoredAsync(seeded, stage);
            Assert.Equal((MessageStatus.Skipped, reason, code), (skipped.Status, skipped.StatusReason, skipped.ErrorCode));
        }

        Assert.Equal(
            [new SettledEvent("day-1", MessageStatus.Failed, failed.StatusReason!, code), new SettledEvent("day-3", MessageStatus.Skipped, reason, code), new SettledEvent("week-6", MessageStatus.Skipped, reason, code)],
            rig.Events.Settled);
        Assert.All(rig.Events.Settled, e => Assert.DoesNotContain(seeded.Phone[1..], e.Reason, StringComparison.Ordinal));

        // The clinic is told: one message-failed alert for the failed stage, due at once, in the outbox.
        var due = await rig.Alerts.ListDueAsync(rig.Now, Duration.FromDays(1), 10, CancellationToken.None);
        var alert = Assert.Single(due).Value.Alert;
        Assert.Equal((ClinicAlertType.MessageFailed, $"failed-{seeded.TreatmentId}-day-1"), (alert.Type, alert.Id));
        Assert.Equal(new AlertMessage("day-1", "failed", code), alert.Message);
        Assert.Equal((seeded.Treatment.ExternalId, seeded.TreatmentId), (alert.Treatment.ExternalId, alert.Treatment.TreatmentId));

        // Only this treatment ends: the number's other treatment is the clinic's to cancel (it is told by the failure).
        Assert.Equal(MessageStatus.Scheduled, (await rig.StoredAsync(other, "day-1")).Status);
        Assert.False((await rig.OptOuts.ListOptedOutAsync(clinic.Id, CancellationToken.None)).Contains(seeded.Phone));

        // The skipped messages' index entries go when they fall due, with no call to Twilio.
        rig.Advance(Duration.FromDays(41));
        await rig.SweepAsync();
        Assert.Single(rig.Twilio.CreateRequests, r => r.Fault == fault);
        Assert.Single(rig.Twilio.Created);
        Assert.Equal(seeded.Phone, rig.Twilio.Created[0].To);
        Assert.Equal(MessageStatus.Sent, (await rig.StoredAsync(other, "day-1")).Status);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_message_another_dispatcher_read_before_the_number_failed_is_never_sent()
    {
        // Y reads day-3 as scheduled; before it claims, X sends day-1, Twilio answers 21211 and X ends day-3. Y's claim
        // presents the ETags it read, which the end changed: Y reads again, finds day-3 ended, and Twilio is asked once only.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-2)), new StagePlan("day-3", Duration.FromMinutes(-1)));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.InvalidNumber);
        var x = rig.CreateDispatcher(dueIndex: new StageFilteredDueIndex(rig.DueIndex, "day-1"));
        var y = rig.CreateDispatcher(
            dueIndex: new StageFilteredDueIndex(rig.DueIndex, "day-3"),
            optOuts: new HookedOptOutStore(rig.OptOuts, async () => Assert.Equal(1, (await x.DispatchDueAsync(CancellationToken.None)).Settled)));

        var report = await y.DispatchDueAsync(CancellationToken.None);

        Assert.Equal((0, 1, 0), (report.Held, report.Settled, report.Sent));
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Empty(rig.Twilio.Created);
        Assert.Equal(MessageStatus.Failed, (await rig.StoredAsync(seeded, "day-1")).Status);
        Assert.Equal((MessageStatus.Skipped, "21211"), ((await rig.StoredAsync(seeded, "day-3")).Status, (await rig.StoredAsync(seeded, "day-3")).ErrorCode));

        await rig.SweepAsync();
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }
}
