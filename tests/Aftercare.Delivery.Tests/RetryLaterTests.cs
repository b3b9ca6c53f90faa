using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Answers that prove nothing was created (429, a refused connection): a retry, now or later, can never double-send.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class RetryLaterTests(AzuriteFixture azurite)
{
    private static readonly Duration DueAMinuteAgo = Duration.FromMinutes(-1);

    [Fact]
    public async Task A_429_with_retry_after_then_success_is_sent_once()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.RetryAfter = TimeSpan.FromSeconds(1));
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", DueAMinuteAgo));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.RateLimited);

        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        var created = Assert.Single(rig.Twilio.Created);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(MessageStatus.Sent, stored.Status);
        Assert.Equal(created.Sid, stored.ProviderMessageId);
        Assert.Equal((seeded.Phone, seeded.Message("day-1").Body), (created.To, created.Body));
        Assert.Empty(await rig.AllDueEntriesAsync());
        Assert.Equal(["day-1"], rig.Events.Sent);
    }

    [Fact]
    public async Task A_429_on_every_attempt_is_deferred_by_the_minimum_delay_then_sent_once()
    {
        // Retry-After 0 and three 429s: the client's two retries are used up and the minimum delay applies.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", DueAMinuteAgo));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);
        var retryAt = rig.Now + rig.Options.MinimumRetryDelay;

        var report = await rig.SweepAsync();

        Assert.Equal((0, 1), (report.Sent, report.Deferred));
        Assert.Equal(3, rig.Twilio.CreateRequests.Count);
        Assert.Empty(rig.Twilio.Created);
        await AssertDeferredUntilAsync(rig, seeded, retryAt);

        await AssertSentOnceAtAsync(rig, seeded, retryAt, createRequestsBefore: 3);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_clients_longest_wait_defers_the_message_by_the_retry_after()
    {
        // Five minutes is more than the client waits inside a call (5 s) and more than the minimum delay (1 min).
        var retryAfter = Duration.FromMinutes(5);
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.RetryAfter = retryAfter.ToTimeSpan());
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", DueAMinuteAgo));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.RateLimited);
        var retryAt = rig.Now + retryAfter;

        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Deferred);
        Assert.Single(rig.Twilio.CreateRequests);
        Assert.Empty(rig.Twilio.Created);
        await AssertDeferredUntilAsync(rig, seeded, retryAt);

        await AssertSentOnceAtAsync(rig, seeded, retryAt, createRequestsBefore: 1);
    }

    [Fact]
    public async Task A_refused_connection_defers_the_message_instead_of_putting_it_in_doubt()
    {
        // Nothing listens on this port: every attempt is refused before a byte leaves.
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Twilio = t => t.BaseUri = closed);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", DueAMinuteAgo));

        var report = await rig.SweepAsync();

        Assert.Equal((1, 0, 0), (report.Deferred, report.InDoubt, report.Sent));
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(MessageStatus.Scheduled, stored.Status);
        Assert.Contains("refused the connection", stored.StatusReason, StringComparison.Ordinal);
        Assert.Equal(rig.Now + rig.Options.MinimumRetryDelay, Assert.Single(await rig.AllDueEntriesAsync()).DueAt);
        Assert.Empty(rig.Events.InDoubt);
    }

    private static async Task AssertDeferredUntilAsync(DeliveryRig rig, SeededTreatment seeded, Instant retryAt)
    {
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal(MessageStatus.Scheduled, stored.Status);
        Assert.StartsWith("Deferred: ", stored.StatusReason, StringComparison.Ordinal);
        Assert.Equal("20429", stored.ErrorCode);
        Assert.Null(stored.ClaimedAt);
        Assert.Null(stored.LeaseUntil);
        var entry = Assert.Single(await rig.AllDueEntriesAsync());
        Assert.Equal(retryAt, entry.DueAt);
        Assert.Single(rig.Events.Deferred);
    }

    private static async Task AssertSentOnceAtAsync(DeliveryRig rig, SeededTreatment seeded, Instant retryAt, int createRequestsBefore)
    {
        // Not yet: a sweep a second early sends nothing.
        rig.Clock.Set((retryAt - Duration.FromSeconds(1)).ToDateTimeOffset());
        Assert.Equal(0, (await rig.SweepAsync()).Due);
        Assert.Equal(createRequestsBefore, rig.Twilio.CreateRequests.Count);

        rig.Clock.Set(retryAt.ToDateTimeOffset());
        var report = await rig.SweepAsync();
        await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        var created = Assert.Single(rig.Twilio.Created);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Sent, created.Sid), (stored.Status, stored.ProviderMessageId));
        Assert.Null(stored.StatusReason);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }
}
