using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using Azure;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Azurite on disk, stopped while messages are due and started again on the same port with its data: a sweep during
/// the outage faults but loses nothing, and the sweeps after it send every message exactly once.
/// </summary>
public sealed class StorageOutageTests
{
    private const int Stages = 6;

    [Fact]
    public async Task A_sweep_while_storage_is_down_faults_and_the_sweeps_after_the_restart_send_everything_once()
    {
        await using var azurite = await AzuriteServer.StartOnDiskAsync();
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.StorageRetries = 1);
        var seeded = await SeedAsync(rig);

        await azurite.StopAsync();
        var outage = await Assert.ThrowsAsync<AggregateException>(rig.SweepAsync);
        Assert.All(outage.InnerExceptions, e => Assert.IsType<RequestFailedException>(e));
        Assert.Empty(rig.Twilio.CreateRequests);

        await azurite.StartAsync();
        Assert.Equal(Stages, (await rig.DueAtAsync(rig.Now)).Count);
        foreach (var message in seeded.Messages)
        {
            Assert.Equal(MessageStatus.Scheduled, (await rig.StoredAsync(seeded, message.StageId)).Status);
        }

        var report = await rig.SweepAsync();
        await rig.SweepAsync();

        Assert.Equal((Stages, Stages), (report.Due, report.Sent));
        await AssertEachSentOnceAsync(rig, seeded);
    }

    [Fact]
    public async Task Storage_lost_between_a_send_and_its_record_faults_the_rest_and_recovery_sends_nothing_twice()
    {
        await using var azurite = await AzuriteServer.StartOnDiskAsync();
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o =>
        {
            o.StorageRetries = 1;
            o.Dispatch = d => d.MaxParallelism = 1;
            o.Twilio = twilio => twilio.RequestTimeout = TimeSpan.FromMinutes(2); // A loaded machine must not put the first text in doubt.
        });
        var seeded = await SeedAsync(rig);

        // The second text reaches Twilio, then storage goes away before the dispatcher can record it; the rest fault, and
        // so does the page's index write at the end: the drain ends with the storage exception.
        var dispatcher = rig.CreateDispatcher(new HookedSmsSender(rig.Sender, afterSendNumber: 2, azurite.StopAsync));
        await Assert.ThrowsAsync<AggregateException>(() => dispatcher.DispatchDueAsync(CancellationToken.None));

        Assert.Equal(Stages - 1, rig.Events.Faulted.Count);
        Assert.Single(rig.Events.Sent);
        Assert.Equal(2, rig.Twilio.Created.Count);

        await azurite.StartAsync();

        // The first text was recorded but its entry's removal was lost with the page: the next drain drops the entry.
        // The claim on the second message outlived the outage: it is left alone until its lease ends.
        var afterRestart = await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal((Stages, 1, Stages - 2, 1), (afterRestart.Due, afterRestart.Settled, afterRestart.Sent, afterRestart.Held));
        Assert.Equal(MessageStatus.Sending, (await rig.StoredAsync(seeded, "stage-2")).Status);

        rig.Advance(rig.Options.Lease);
        var recovered = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal((1, 1), (recovered.Due, recovered.Sent));
        Assert.Equal(Stages, rig.Twilio.CreateRequests.Count);
        await AssertEachSentOnceAsync(rig, seeded);
    }

    private static async Task<SeededTreatment> SeedAsync(DeliveryRig rig) => await rig.SeedAsync(
        await rig.CreateClinicAsync(),
        [.. Enumerable.Range(1, Stages).Select(i => new StagePlan($"stage-{i}", Duration.FromSeconds(-60 + i)))]);

    private static async Task AssertEachSentOnceAsync(DeliveryRig rig, SeededTreatment seeded)
    {
        Assert.Equal(Stages, rig.Twilio.Created.Count);
        foreach (var message in seeded.Messages)
        {
            var created = Assert.Single(rig.Twilio.Created, m => m.Body == message.Body);
            var stored = await rig.StoredAsync(seeded, message.StageId);
            Assert.Equal((MessageStatus.Sent, created.Sid), (stored.Status, stored.ProviderMessageId));
        }

        Assert.Empty(await rig.AllDueEntriesAsync());
    }
}
