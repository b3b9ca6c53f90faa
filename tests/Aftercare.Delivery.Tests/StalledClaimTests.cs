using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// A dispatcher that stalls between its claim and its send (a long pause, a slow storage call) must not send late:
/// by then another dispatcher may have taken the message over. It leaves the message to whoever recovers it.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class StalledClaimTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_claim_that_aged_before_the_send_began_sends_nothing_and_the_next_sweep_sends_once()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var stalling = new StallAfterClaimStore(rig.Treatments, () => rig.Advance(rig.Options.Lease));
        var stalled = rig.CreateDispatcher(treatments: stalling);

        var report = await stalled.DispatchDueAsync(CancellationToken.None);

        Assert.Equal((1, 0), (report.Held, report.Sent));
        Assert.Empty(rig.Twilio.CreateRequests);
        Assert.Equal(MessageStatus.Sending, (await rig.StoredAsync(seeded, "day-1")).Status);

        // The lease has run out by now: a healthy dispatcher recovers it, finds nothing at Twilio, and sends it once.
        var recovered = await rig.SweepAsync();
        Assert.Equal(1, recovered.Sent);
        Assert.Single(rig.Twilio.Created);
        Assert.Equal(MessageStatus.Sent, (await rig.StoredAsync(seeded, "day-1")).Status);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    /// <summary>Passes everything through; a successful claim's response comes back only after the clock ran on.</summary>
    private sealed class StallAfterClaimStore(ITreatmentStore inner, Action stall) : ITreatmentStore
    {
        public Task<bool> TryCreateAsync(Treatment treatment, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken) =>
            inner.TryCreateAsync(treatment, messages, cancellationToken);

        public Task<TreatmentRecord?> FindAsync(string clinicId, string treatmentId, CancellationToken cancellationToken) =>
            inner.FindAsync(clinicId, treatmentId, cancellationToken);

        public Task<Versioned<OutboundMessage>?> FindMessageAsync(string clinicId, string treatmentId, string stageId, CancellationToken cancellationToken) =>
            inner.FindMessageAsync(clinicId, treatmentId, stageId, cancellationToken);

        public Task<string?> TryReplaceMessageAsync(string clinicId, string treatmentId, OutboundMessage message, string etag, CancellationToken cancellationToken) =>
            inner.TryReplaceMessageAsync(clinicId, treatmentId, message, etag, cancellationToken);

        public async Task<string?> TryClaimMessageAsync(Versioned<Treatment> treatment, OutboundMessage claimed, string messageETag, CancellationToken cancellationToken)
        {
            var result = await inner.TryClaimMessageAsync(treatment, claimed, messageETag, cancellationToken);
            if (result is not null)
            {
                stall();
            }

            return result;
        }

        public Task<string?> TryReplaceTreatmentAsync(Treatment treatment, string etag, CancellationToken cancellationToken) =>
            inner.TryReplaceTreatmentAsync(treatment, etag, cancellationToken);

        public Task<bool> TryReplaceAllAsync(Versioned<Treatment> treatment, IReadOnlyList<Versioned<OutboundMessage>> messages, CancellationToken cancellationToken) =>
            inner.TryReplaceAllAsync(treatment, messages, cancellationToken);
    }
}
