using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Three replicas (each its own storage and Twilio clients) sweeping the same due messages at the same time: the
/// ETag-conditional claim lets exactly one of them send each message.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ConcurrentDispatchTests(AzuriteFixture azurite)
{
    private const int Treatments = 40;
    private const int StagesPerTreatment = 3;
    private const int Messages = Treatments * StagesPerTreatment;

    [Fact]
    public async Task Three_dispatchers_sweeping_in_parallel_send_every_message_exactly_once()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var seeded = await SeedAsync(rig);
        MessageDispatcher[] replicas = [rig.CreateReplica(), rig.CreateReplica(), rig.CreateReplica()];

        var reports = new List<DispatchReport>();
        for (var round = 0; round < 3; round++)
        {
            reports.AddRange(await Task.WhenAll(replicas.Select(r => r.DispatchDueAsync(CancellationToken.None))));
        }

        // The replicas raced over the messages in the first round (between them they took more than there are: a replica
        // no longer sees an entry another's page has removed); only one of them sent each.
        Assert.True(reports.Take(3).Sum(r => r.Due) > Messages);
        Assert.Equal(Messages, reports.Sum(r => r.Sent));
        Assert.Equal(0, reports.Sum(r => r.Faulted));
        Assert.Equal(Messages, rig.Events.Sent.Count);
        Assert.Equal(Messages, rig.Twilio.CreateRequests.Count);
        await AssertEachSentExactlyOnceAsync(rig, seeded);
    }

    [Fact]
    public async Task Three_dispatchers_under_random_twilio_faults_still_send_every_message_exactly_once()
    {
        // A quarter of creates get a 429, a 500 after creating, a hang after creating, or a dropped connection.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o =>
        {
            o.RandomFaultRate = 0.25;
            o.Twilio = t => t.RequestTimeout = TimeSpan.FromSeconds(1);
        });
        var seeded = await SeedAsync(rig);
        MessageDispatcher[] replicas = [rig.CreateReplica(), rig.CreateReplica(), rig.CreateReplica()];

        // Rounds until the index is empty; between rounds the clock passes every lease, recheck and retry delay.
        var rounds = 0;
        while ((await rig.AllDueEntriesAsync()).Count > 0)
        {
            Assert.True(++rounds <= 20, "Messages were still due after 20 rounds.");
            await Task.WhenAll(replicas.Select(r => r.DispatchDueAsync(CancellationToken.None)));
            rig.Advance(Duration.FromMinutes(2));
        }

        Assert.Contains(rig.Twilio.CreateRequests, r => r.Fault == TwilioStandInFault.ServerErrorAfterCreate);
        Assert.Contains(rig.Twilio.CreateRequests, r => r.Fault == TwilioStandInFault.DropBeforeCreate);
        Assert.Empty(rig.Events.Faulted);
        await AssertEachSentExactlyOnceAsync(rig, seeded);
    }

    [Fact]
    public async Task Two_dispatchers_recovering_the_same_in_doubt_send_record_and_report_it_once()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.ServerErrorAfterCreate);
        Assert.Equal(1, (await rig.SweepAsync()).InDoubt);
        rig.Advance(rig.Options.InDoubtRecheck);

        // Both replicas read the in-doubt message, then both find the text at Twilio before either records it.
        var lookups = new Rendezvous(2);
        MessageDispatcher[] replicas =
        [
            rig.CreateReplica(s => new RendezvousAtLookupSender(s, lookups)),
            rig.CreateReplica(s => new RendezvousAtLookupSender(s, lookups)),
        ];
        var reports = await Task.WhenAll(replicas.Select(r => r.DispatchDueAsync(CancellationToken.None)));

        var created = Assert.Single(rig.Twilio.Created);
        var stored = await rig.StoredAsync(seeded, "day-1");
        Assert.Equal((MessageStatus.Sent, created.Sid), (stored.Status, stored.ProviderMessageId));
        Assert.Empty(await rig.AllDueEntriesAsync());

        // Operators count sends from these: one text went, so one send is reported.
        Assert.Equal(1, reports.Sum(r => r.Sent));
        Assert.Equal(["day-1"], rig.Events.Sent);
    }

    private static async Task<List<SeededTreatment>> SeedAsync(DeliveryRig rig)
    {
        var clinic = await rig.CreateClinicAsync();
        var seeded = new List<SeededTreatment>();
        for (var i = 0; i < Treatments; i++)
        {
            seeded.Add(await rig.SeedAsync(
                clinic,
                new StagePlan("day-1", Duration.FromMinutes(-3)),
                new StagePlan("day-2", Duration.FromMinutes(-2)),
                new StagePlan("day-3", Duration.FromMinutes(-1))));
        }

        return seeded;
    }

    private static async Task AssertEachSentExactlyOnceAsync(DeliveryRig rig, List<SeededTreatment> seeded)
    {
        Assert.Equal(Messages, rig.Twilio.Created.Count);
        Assert.Equal(Messages, rig.Twilio.Created.Select(m => m.Body).Distinct().Count());
        var createdByBody = rig.Twilio.Created.ToDictionary(m => m.Body);
        foreach (var treatment in seeded)
        {
            foreach (var message in treatment.Messages)
            {
                var created = createdByBody[message.Body];
                var stored = await rig.StoredAsync(treatment, message.StageId);
                Assert.Equal((treatment.Phone, MessageStatus.Sent, created.Sid), (created.To, stored.Status, stored.ProviderMessageId));
            }
        }

        Assert.Empty(await rig.AllDueEntriesAsync());
    }
}
