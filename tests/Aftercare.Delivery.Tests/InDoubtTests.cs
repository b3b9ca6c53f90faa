using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Sends whose outcome is unknown: the message stays claimed, nothing is re-sent before the recheck delay, and then
/// Twilio is asked whether the text exists. It is re-sent only when Twilio does not have it.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class InDoubtTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_connection_dropped_before_create_is_in_doubt_then_found_missing_and_sent_once()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var seeded = await SeedDueAsync(rig);
        rig.Twilio.EnqueueFaults(TwilioStandInFault.DropBeforeCreate);

        await AssertInDoubtAsync(rig, seeded);
        Assert.Empty(rig.Twilio.Created);

        await AssertNothingHappensBeforeTheRecheckAsync(rig, createRequests: 1);
        rig.Advance(Duration.FromSeconds(1));
        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        await AssertSentOnceAsync(rig, seeded);
    }

    [Fact]
    public async Task A_500_after_create_is_in_doubt_then_found_at_twilio_and_recorded_without_a_resend()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var seeded = await SeedDueAsync(rig);
        rig.Twilio.EnqueueFaults(TwilioStandInFault.ServerErrorAfterCreate);

        await AssertInDoubtAsync(rig, seeded);
        Assert.Single(rig.Twilio.Created);

        await AssertNothingHappensBeforeTheRecheckAsync(rig, createRequests: 1);
        rig.Advance(Duration.FromSeconds(1));
        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Single(rig.Twilio.CreateRequests);
        await AssertSentOnceAsync(rig, seeded);
    }

    [Fact]
    public async Task A_hang_after_create_times_out_in_doubt_then_is_recovered_without_a_resend()
    {
        // The client's per-attempt timeout (1 s) fires well inside the dispatcher's send deadline (half of 20 s).
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Twilio = t => t.RequestTimeout = TimeSpan.FromSeconds(1));
        var seeded = await SeedDueAsync(rig);
        rig.Twilio.EnqueueFaults(TwilioStandInFault.HangAfterCreate);

        await AssertInDoubtAsync(rig, seeded);
        Assert.Contains("did not answer", Assert.Single(rig.Events.InDoubt), StringComparison.Ordinal);

        await AssertRecoveredWithoutResendAsync(rig, seeded);
    }

    [Fact]
    public async Task A_hang_past_the_dispatchers_send_deadline_is_in_doubt_then_is_recovered_without_a_resend()
    {
        // Here the client would wait 30 s, but the dispatcher gives a send only half its 2 s lease.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o =>
        {
            o.Twilio = t => t.RequestTimeout = TimeSpan.FromSeconds(30);
            o.Dispatch = d => d.Lease = Duration.FromSeconds(2);
        });
        var seeded = await SeedDueAsync(rig);
        rig.Twilio.EnqueueFaults(TwilioStandInFault.HangAfterCreate);

        await AssertInDoubtAsync(rig, seeded);
        Assert.Contains("did not finish within", Assert.Single(rig.Events.InDoubt), StringComparison.Ordinal);

        await AssertRecoveredWithoutResendAsync(rig, seeded);
    }

    [Fact]
    public async Task A_send_in_doubt_just_before_midnight_utc_is_found_by_the_recheck_after_midnight()
    {
        // Twilio filters the look-up by date only: the recheck, a day later in UTC, must still look back to the claim.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        rig.Clock.Set(new DateTimeOffset(2026, 6, 1, 23, 59, 30, TimeSpan.Zero));
        var seeded = await SeedDueAsync(rig);
        rig.Twilio.EnqueueFaults(TwilioStandInFault.ServerErrorAfterCreate);
        await AssertInDoubtAsync(rig, seeded);

        rig.Advance(rig.Options.InDoubtRecheck);
        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Single(rig.Twilio.CreateRequests);
        await AssertSentOnceAsync(rig, seeded);
    }

    [Theory]
    [InlineData(TwilioStandInFault.ServerErrorAfterCreate, MessageStatus.Sent)]
    [InlineData(TwilioStandInFault.DropBeforeCreate, MessageStatus.Cancelled)]
    public async Task A_treatment_cancelled_while_a_send_is_in_doubt_ends_as_what_twilio_holds(TwilioStandInFault fault, MessageStatus expected)
    {
        // Cancelling leaves a message that is on its way alone; the recheck then records the truth: sent if Twilio
        // has the text, cancelled (and never sent) if it does not.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var seeded = await SeedDueAsync(rig);
        rig.Twilio.EnqueueFaults(fault);
        await AssertInDoubtAsync(rig, seeded);

        var afterCancel = await new TreatmentCanceller(rig.Treatments, rig.Clock).CancelAsync(seeded.ClinicId, seeded.Treatment.ExternalId, CancellationToken.None);
        Assert.Equal(MessageStatus.Sending, Assert.Single(afterCancel!.Messages).Value.Status);
        rig.Advance(rig.Options.InDoubtRecheck);
        await rig.SweepAsync();

        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(expected, stored.Status);
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Equal(expected == MessageStatus.Sent ? 1 : 0, rig.Twilio.Created.Count);
        Assert.Equal(rig.Twilio.Created.SingleOrDefault()?.Sid, stored.ProviderMessageId);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    private static async Task<SeededTreatment> SeedDueAsync(DeliveryRig rig) =>
        await rig.SeedAsync(await rig.CreateClinicAsync(), new StagePlan("day-1", Duration.FromMinutes(-1)));

    private static async Task AssertInDoubtAsync(DeliveryRig rig, SeededTreatment seeded)
    {
        var claimedAt = rig.Now;

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0), (report.InDoubt, report.Sent));
        Assert.Single(rig.Twilio.CreateRequests);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(MessageStatus.Sending, stored.Status);
        Assert.StartsWith("In doubt: ", stored.StatusReason, StringComparison.Ordinal);
        Assert.Equal(claimedAt, stored.ClaimedAt);
        Assert.Equal(claimedAt + rig.Options.InDoubtRecheck, stored.LeaseUntil);
        Assert.Null(stored.ProviderMessageId);

        // The index keeps the entry: the message is not settled until Twilio has been asked.
        Assert.Single(await rig.DueAtAsync(rig.Now));
    }

    /// <summary>Moves the clock to a second before the recheck is due and proves a sweep there leaves the message alone.</summary>
    private static async Task AssertNothingHappensBeforeTheRecheckAsync(DeliveryRig rig, int createRequests)
    {
        rig.Advance(rig.Options.InDoubtRecheck - Duration.FromSeconds(1));
        var report = await rig.SweepAsync();

        Assert.Equal((1, 0, 1), (report.Due, report.Sent, report.Held));
        Assert.Equal(createRequests, rig.Twilio.CreateRequests.Count);
    }

    private static async Task AssertRecoveredWithoutResendAsync(DeliveryRig rig, SeededTreatment seeded)
    {
        Assert.Single(rig.Twilio.Created);
        await AssertNothingHappensBeforeTheRecheckAsync(rig, createRequests: 1);
        rig.Advance(Duration.FromSeconds(1));

        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Single(rig.Twilio.CreateRequests);
        await AssertSentOnceAsync(rig, seeded);
    }

    private static async Task AssertSentOnceAsync(DeliveryRig rig, SeededTreatment seeded)
    {
        // A further sweep, later still, finds nothing left to do.
        rig.Advance(Duration.FromHours(1));
        Assert.Equal(0, (await rig.SweepAsync()).Due);

        var created = Assert.Single(rig.Twilio.Created);
        Assert.Equal((seeded.Phone, seeded.Message("day-1").Body), (created.To, created.Body));
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Sent, created.Sid), (stored.Status, stored.ProviderMessageId));
        Assert.Null(stored.LeaseUntil);
        Assert.Empty(await rig.AllDueEntriesAsync());
        Assert.Equal(["day-1"], rig.Events.Sent);
    }
}
