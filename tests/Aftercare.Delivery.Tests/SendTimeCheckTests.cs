using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>What the dispatcher re-checks immediately before a send: freshness, quiet hours, opt-out, cancellation, segments.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class SendTimeCheckTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_message_stale_at_send_time_is_skipped_with_the_reason()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();

        // Due two days ago and worth sending for one day: an outage kept it until after its advice went stale.
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromDays(-2), FreshFor: Duration.FromDays(1)));

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Settled, report.Sent));
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(MessageStatus.Skipped, stored.Status);
        Assert.StartsWith("Stale: due 2026-05-30 13:00 local, worth sending only until 2026-05-31 12:00", stored.StatusReason, StringComparison.Ordinal);
        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_message_due_in_quiet_hours_waits_for_the_opening_and_is_sent_once_then()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync(QuietHours.Default);

        // 22:00 in London (BST): inside 20:00–09:00. The window opens at 09:00 local, 08:00 UTC.
        rig.Clock.Set(new DateTimeOffset(2026, 6, 1, 21, 0, 0, TimeSpan.Zero));
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var opening = Instant.FromUtc(2026, 6, 2, 8, 0);

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Deferred, report.Sent));
        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Equal(MessageStatus.Scheduled, (await rig.StoredAsync(seeded, "day-1")).Status);
        Assert.Equal(opening, Assert.Single(await rig.AllDueEntriesAsync()).DueAt);

        rig.Clock.Set((opening - Duration.FromSeconds(1)).ToDateTimeOffset());
        Assert.Equal(0, (await rig.SweepAsync()).Due);
        rig.Clock.Set(opening.ToDateTimeOffset());
        var atOpening = await rig.SweepAsync();
        await rig.SweepAsync();

        Assert.Equal(1, atOpening.Sent);
        var created = Assert.Single(rig.Twilio.Created);
        Assert.Equal(opening.ToDateTimeOffset(), created.DateCreated);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Sent, created.Sid), (stored.Status, stored.ProviderMessageId));
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task An_opt_out_recorded_after_registration_suppresses_the_send()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        await rig.OptOuts.OptOutAsync(clinic.Id, seeded.Phone, "sms:STOP", rig.Now, None);

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Settled, report.Sent));
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(MessageStatus.Suppressed, stored.Status);
        Assert.Equal("The client opted out of texts from this clinic.", stored.StatusReason);
        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_treatment_cancelled_by_the_clinic_sends_nothing_and_leaves_the_index()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)), new StagePlan("day-3", Duration.FromDays(2)));
        await new TreatmentCanceller(rig.Treatments, rig.Clock).CancelAsync(clinic.Id, seeded.Treatment.ExternalId, None);

        await rig.SweepAsync();
        rig.Advance(Duration.FromDays(2));
        await rig.SweepAsync();

        Assert.Equal(MessageStatus.Cancelled, (await rig.StoredAsync(seeded, "day-1")).Status);
        Assert.Equal(MessageStatus.Cancelled, (await rig.StoredAsync(seeded, "day-3")).Status);
        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_treatment_marked_cancelled_before_its_messages_were_is_cancelled_by_the_dispatcher()
    {
        // The canceller marks the treatment first; if it stops before the messages, the dispatcher must still not send.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var record = (await rig.Treatments.FindAsync(clinic.Id, seeded.TreatmentId, None))!;
        var cancelled = record.Treatment.Value with { Status = TreatmentStatus.Cancelled, StatusReason = TreatmentCanceller.Reason };
        Assert.NotNull(await rig.Treatments.TryReplaceTreatmentAsync(cancelled, record.Treatment.ETag, None));

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.Settled, report.Sent));
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Cancelled, TreatmentCanceller.Reason), (stored.Status, stored.StatusReason));
        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_cancellation_marked_between_the_dispatchers_read_and_its_claim_stops_the_send()
    {
        // The canceller marks the treatment, then its messages. Here the mark lands after the dispatcher has read the
        // treatment and the messages are settled only after its claim: the dispatcher is the one that must notice.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var canceller = new TreatmentCanceller(rig.Treatments, rig.Clock);
        var dispatcher = rig.CreateDispatcher(optOuts: new HookedOptOutStore(rig.OptOuts, async () =>
        {
            var record = (await rig.Treatments.FindAsync(clinic.Id, seeded.TreatmentId, None))!;
            var cancelled = record.Treatment.Value with { Status = TreatmentStatus.Cancelled, StatusReason = TreatmentCanceller.Reason };
            Assert.NotNull(await rig.Treatments.TryReplaceTreatmentAsync(cancelled, record.Treatment.ETag, None));
        }));

        await dispatcher.DispatchDueAsync(None);
        var timeline = await canceller.CancelAsync(clinic.Id, seeded.Treatment.ExternalId, None);
        await rig.SweepAsync();

        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Equal(MessageStatus.Cancelled, Assert.Single(timeline!.Messages).Value.Status);
        Assert.Equal(MessageStatus.Cancelled, (await rig.StoredAsync(seeded, "day-1")).Status);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_text_stored_over_two_segments_is_sent_shortened_to_two_never_failed()
    {
        // Registered before names were held to what they cost: twenty '…' became sixty dots and a 3-segment text.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var name = new string('\u2026', 20);
        var advice = ", your redness should be fading by now. Please call us on +442071234567 if you notice spreading redness, pus, " +
            "pain that gets worse, fever, dark patches or heavy bruising. General advice, not a diagnosis. Take care, and keep using SPF 30 every single day. Glow Skin Clinic";
        var stored = "Hi " + new string('.', 60) + advice;
        Assert.Equal(3, SmsText.Measure(stored).Segments);
        var seeded = await rig.SeedForAsync(
            clinic, DeliveryRig.NewPhone(), t => t with { Client = t.Client with { FirstName = name } }, new StagePlan("day-3", Duration.FromMinutes(-1), Body: stored));

        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        var created = Assert.Single(rig.Twilio.Created);
        Assert.Equal("Hi" + advice + "\nReply STOP to opt out.", created.Body);
        var message = await rig.StoredAsync(seeded, "day-3");
        Assert.Equal((MessageStatus.Sent, created.Body, 2, SmsEncoding.Gsm7), (message.Status, message.Body, message.Segments, message.Encoding));
    }
}
