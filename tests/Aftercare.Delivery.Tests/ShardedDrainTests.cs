using System.Globalization;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// The due index is drained shard by shard (issue 16): one shard's drain sends that shard's texts only and starts
/// nothing after its deadline; entries today's deployments wrote in the older layout are moved and sent; a lowered
/// shard count strands nothing.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class ShardedDrainTests(AzuriteFixture azurite)
{
    private const int Texts = 24;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Draining_one_shard_sends_its_texts_and_leaves_every_other_shards()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Dispatch = d => d.Shards = 4);
        var clinic = await rig.CreateClinicAsync();
        var seeded = new List<SeededTreatment>();
        for (var i = 0; i < Texts; i++)
        {
            seeded.Add(await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1))));
        }

        var shard = DispatchShards.Of(seeded[0].TreatmentId, 4);
        var inShard = seeded.Where(t => DispatchShards.Of(t.TreatmentId, 4) == shard).ToList();

        var report = await rig.Dispatcher.DrainShardAsync(shard, rig.Now + Duration.FromMinutes(5), None);

        Assert.Equal((inShard.Count, inShard.Count), (report.Due, report.Sent));
        Assert.Equal(inShard.Select(t => t.Phone).Order(StringComparer.Ordinal), rig.Twilio.Created.Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.Equal(Texts - inShard.Count, (await rig.AllDueEntriesAsync()).Count);
    }

    [Fact]
    public async Task An_entry_of_the_older_minute_partitioned_layout_is_moved_into_its_shard_and_sent()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        var entry = new DueEntry(seeded.Messages[0].DueAt, clinic.Id, seeded.TreatmentId, "day-1");
        await rig.DueIndex.ApplyAsync(DispatchShards.Of(seeded.TreatmentId, rig.Options.Shards), [entry], [], None);
        Assert.Empty(await rig.AllDueEntriesAsync());

        // As deployments before issue 16 wrote it: PK = the due minute in UTC, RK as today.
        var legacy = new TableEntity(
            entry.DueAt.ToDateTimeOffset().ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture),
            entry.DueAt.ToDateTimeOffset().UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + $"|{clinic.Id}|{seeded.TreatmentId}|day-1")
        {
            ["DueAt"] = entry.DueAt.ToDateTimeOffset(),
            ["ClinicId"] = clinic.Id,
            ["TreatmentId"] = seeded.TreatmentId,
            ["StageId"] = "day-1",
        };
        await rig.Tables.DueIndex.UpsertAsync(legacy, TableUpdateMode.Replace, None);

        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        Assert.Equal(MessageStatus.Sent, (await rig.StoredAsync(seeded, "day-1")).Status);
        Assert.Empty(await rig.Tables.DueIndex.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey lt {ShardKeys.Prefix}")).ToListAsync());
        Assert.Empty(await rig.AllDueEntriesAsync());
    }

    [Fact]
    public async Task Lowering_the_shard_count_strands_no_entry_of_the_shards_dropped()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, o => o.Dispatch = d => d.Shards = 32);
        var clinic = await rig.CreateClinicAsync();
        for (var i = 0; i < Texts; i++)
        {
            await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1)));
        }

        Assert.Equal(32, await rig.DueIndex.ShardCountAsync(32, None)); // A deployment with 32 shards ran.
        rig.Options.Shards = 4; // Then the setting was lowered.

        var report = await rig.SweepAsync();

        Assert.Equal(Texts, report.Sent);
        Assert.Empty(await rig.AllDueEntriesAsync());
    }
}
