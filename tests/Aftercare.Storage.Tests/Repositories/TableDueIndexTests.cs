using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableDueIndexTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 1, 12, 30, 30);

    private static DueEntry Entry(Duration fromNow, string stage, string treatmentId = "tr_1") => new(Now.Plus(fromNow), "cl_a", treatmentId, stage);

    private static DispatchOptions Shards(int count) => new() { Shards = count };

    [Fact]
    public async Task Lists_only_due_entries_of_the_shard_earliest_first()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync(), Shards(16));
        var shard = DispatchShards.Of("tr_1", 16);
        var due = new[]
        {
            Entry(Duration.FromDays(-40), "old"),
            Entry(Duration.FromHours(-1), "hour-ago"),
            Entry(Duration.FromSeconds(-20), "this-minute-earlier"),
            Entry(Duration.Zero, "exactly-now"),
        };
        var notYet = new[]
        {
            Entry(Duration.FromTicks(1), "a-tick-later"),
            Entry(Duration.FromMinutes(1), "next-minute"),
            Entry(Duration.FromDays(3), "later"),
        };
        var otherShard = Enumerable.Range(0, 40).Select(i => $"tr_other_{i}").First(id => DispatchShards.Of(id, 16) != shard);
        await index.AddAsync([.. notYet, .. due.Reverse(), Entry(Duration.FromHours(-2), "elsewhere", otherShard)], None);

        var listed = await index.ListDueAsync(shard, Now, null, 100, None);

        Assert.Equal(due.Select(e => e.StageId), listed.Select(e => e.StageId));
        Assert.Equal(due, listed);
        Assert.Equal(["elsewhere"], (await index.ListDueAsync(DispatchShards.Of(otherShard, 16), Now, null, 100, None)).Select(e => e.StageId));
    }

    [Fact]
    public async Task Pages_take_the_earliest_up_to_the_limit_and_go_on_after_the_last()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync(), Shards(1));
        await index.AddAsync([.. Enumerable.Range(1, 10).Select(i => Entry(Duration.FromMinutes(-i), $"s{i}"))], None);

        var first = await index.ListDueAsync(0, Now, null, 3, None);
        var second = await index.ListDueAsync(0, Now, first[^1], 3, None);
        var last = await index.ListDueAsync(0, Now, (await index.ListDueAsync(0, Now, null, 10, None))[^1], 3, None);

        Assert.Equal(["s10", "s9", "s8"], first.Select(e => e.StageId));
        Assert.Equal(["s7", "s6", "s5"], second.Select(e => e.StageId));
        Assert.Empty(last);
    }

    [Fact]
    public async Task Adding_again_is_idempotent_and_a_shard_is_batched_by_100()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var index = new TableDueIndex(tables, Shards(1));
        var entries = Enumerable.Range(0, 150).Select(i => new DueEntry(Now.Minus(Duration.FromMilliseconds(i)), "cl_a", $"tr_{i:D3}", "now")).ToList();

        await index.AddAsync(entries, None);
        await index.AddAsync([.. entries, entries[0]], None);

        Assert.Equal(150, await tables.DueIndex.QueryAsync().CountAsync());
        Assert.Equal(150, (await index.ListDueAsync(0, Now, null, 1000, None)).Count);
    }

    [Fact]
    public async Task Apply_removes_and_moves_and_removing_what_is_gone_is_done()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync(), Shards(4));
        var keep = Entry(Duration.FromMinutes(-3), "keep");
        var remove = Entry(Duration.FromMinutes(-2), "remove");
        var move = Entry(Duration.FromMinutes(-1), "move");
        var shard = DispatchShards.Of("tr_1", 4);
        await index.AddAsync([keep, remove, move], None);

        await index.ApplyAsync(shard, [remove, move], [move with { DueAt = Now.Plus(Duration.FromHours(1)) }], None);
        await index.ApplyAsync(shard, [remove, Entry(Duration.FromMinutes(-5), "never-added"), keep], [], None);

        Assert.Empty(await index.ListDueAsync(shard, Now, null, 10, None));
        Assert.Equal([move with { DueAt = Now.Plus(Duration.FromHours(1)) }], await index.ListDueAsync(shard, Now.Plus(Duration.FromHours(1)), null, 10, None));
    }

    [Fact]
    public async Task Rows_of_the_older_layout_move_into_their_shards_and_then_cost_one_empty_read()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var index = new TableDueIndex(tables, Shards(8));
        var legacy = new[] { Entry(Duration.FromMinutes(-1), "day-1", "tr_a"), Entry(Duration.FromDays(2), "day-3", "tr_b") };
        foreach (var entry in legacy)
        {
            // As today's deployments wrote them: PK = the due minute in UTC.
            var row = DueEntities.ToEntity(entry, 8);
            row.PartitionKey = entry.DueAt.ToDateTimeOffset().ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);
            await tables.DueIndex.UpsertAsync(row, TableUpdateMode.Replace, None);
        }

        Assert.Equal(2, await index.MoveLegacyEntriesAsync(500, None));
        Assert.Equal(0, await index.MoveLegacyEntriesAsync(500, None));

        Assert.Equal([legacy[0]], await index.ListDueAsync(DispatchShards.Of("tr_a", 8), Now, null, 10, None));
        Assert.Equal([legacy[1]], await index.ListDueAsync(DispatchShards.Of("tr_b", 8), Now.Plus(Duration.FromDays(2)), null, 10, None));
        Assert.All(await tables.DueIndex.QueryAsync().ToListAsync(), row => Assert.StartsWith(ShardKeys.Prefix, row.PartitionKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_shard_count_is_the_highest_ever_used_so_lowering_it_strands_nothing()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync(), Shards(16));

        Assert.Equal(16, await index.ShardCountAsync(16, None));
        Assert.Equal(32, await index.ShardCountAsync(32, None));
        Assert.Equal(32, await index.ShardCountAsync(8, None));
    }

    [Fact]
    public async Task Every_due_entry_in_any_shard_is_listed_for_operators()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync(), Shards(16));
        var entries = Enumerable.Range(0, 20).Select(i => Entry(Duration.FromMinutes(-i), "now", $"tr_{i:D2}")).ToList();
        await index.AddAsync([.. entries, Entry(Duration.FromMinutes(1), "later")], None);
        await index.ShardCountAsync(16, None);

        Assert.Equal(entries.AsEnumerable().Reverse(), await index.ListAllDueAsync(Now, 100, None));
    }
}
