using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// A dispatcher that claimed a message and died: the claim is written by hand (Sending, a lease), with or without the
/// text having reached Twilio first. Once the lease expires, the next sweep sends only if Twilio does not have it.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class CrashRecoveryTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_claim_left_by_a_crash_is_recovered_and_sent_only_if_twilio_lacks_the_text(bool textReachedTwilio)
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        await ClaimAsThoughCrashedAsync(rig, seeded);
        string? sidBeforeCrash = null;
        if (textReachedTwilio)
        {
            sidBeforeCrash = await rig.CreateAtTwilioAsync(seeded.Phone, seeded.Message("day-1").Body);
        }

        // While the lease lasts, the dead dispatcher's claim is respected.
        rig.Advance(rig.Options.Lease - Duration.FromSeconds(1));
        var held = await rig.SweepAsync();
        Assert.Equal((1, 0), (held.Held, held.Sent));
        Assert.Equal(textReachedTwilio ? 1 : 0, rig.Twilio.CreateRequests.Count);

        rig.Advance(Duration.FromSeconds(1));
        var recovered = await rig.SweepAsync();
        await rig.SweepAsync();

        Assert.Equal(1, recovered.Sent);
        Assert.Single(rig.Twilio.CreateRequests);
        var sent = Assert.Single(rig.Twilio.Created);
        if (sidBeforeCrash is not null)
        {
            Assert.Equal(sidBeforeCrash, sent.Sid);
        }

        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Sent, sent.Sid), (stored.Status, stored.ProviderMessageId));
        Assert.Null(stored.LeaseUntil);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task A_text_to_the_same_number_with_other_words_does_not_count_as_the_crashed_send()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        await ClaimAsThoughCrashedAsync(rig, seeded);
        await rig.CreateAtTwilioAsync(seeded.Phone, "Your appointment is confirmed.");

        rig.Advance(rig.Options.Lease);
        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Equal(2, rig.Twilio.Created.Count);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(rig.Twilio.Created[1].Sid, stored.ProviderMessageId);
        Assert.Equal(seeded.Message("day-1").Body, rig.Twilio.Created[1].Body);
    }

    private static async Task ClaimAsThoughCrashedAsync(DeliveryRig rig, SeededTreatment seeded)
    {
        var current = (await rig.Treatments.FindMessageAsync(seeded.ClinicId, seeded.TreatmentId, "day-1", None))!;
        var claimed = current.Value with
        {
            Status = MessageStatus.Sending,
            ClaimedAt = rig.Now,
            LeaseUntil = rig.Now + rig.Options.Lease,
            Attempts = 1,
            UpdatedAt = rig.Now,
        };
        Assert.NotNull(await rig.Treatments.TryReplaceMessageAsync(seeded.ClinicId, seeded.TreatmentId, claimed, current.ETag, None));
    }
}
