using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

/// <summary>
/// Retention entries live in the due-index table, in their treatment's shard, written with its due entries in one
/// transaction; the sweep reads every shard and the legacy retention table, moving what it finds there.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class RetentionRowsTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly LocalDate Day = new(2026, 11, 20);
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 12, 0);

    [Fact]
    public async Task A_treatments_due_entries_retention_entry_and_mark_are_one_transaction_in_its_shard_and_the_mark_refuses_a_second()
    {
        var roundTrips = new TableRoundTrips();
        var tables = await azurite.CreateAftercareTablesAsync(roundTrips);
        var index = new TableTreatmentIndex(tables, new DispatchOptions { Shards = 7 });
        var due = Enumerable.Range(0, 6).Select(i => new DueEntry(Now.Plus(Duration.FromDays(i)), "cl_a", "tr_1", $"stage{i}")).ToList();
        var retention = new RetentionEntry(RetentionReason.Settled, Day, "cl_a", "tr_1");

        using (var write = roundTrips.BeginScope())
        {
            Assert.True(await index.TryAddAsync(due, retention, None));
            Assert.Equal(1, write.Calls);
        }

        var rows = await tables.DueIndex.QueryAsync().ToListAsync();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, row => Assert.Equal(ShardKeys.PartitionKey(DispatchShards.Of("tr_1", 7)), row.PartitionKey));
        Assert.Equal(["registered|cl_a|tr_1", "retain|settled|20261120|cl_a|tr_1"], rows[^2..].Select(r => r.RowKey));

        // A second registration of the treatment, a day later and planned differently, writes nothing.
        var later = due.Select(e => e with { DueAt = e.DueAt.Plus(Duration.FromMinutes(1)) }).ToList();
        Assert.False(await index.TryAddAsync(later, retention with { Day = Day.PlusDays(1) }, None));
        Assert.Equal(rows.Select(r => (r.RowKey, r.ETag)), (await tables.DueIndex.QueryAsync().ToListAsync()).Select(r => (r.RowKey, r.ETag)));

        // Completing a registration re-adds the rows, mark or not.
        await index.AddAsync(due, retention, None);
        Assert.Equal(8, (await tables.DueIndex.QueryAsync().ToListAsync()).Count);
        await Assert.ThrowsAsync<ArgumentException>(() => index.TryAddAsync(due, retention with { TreatmentId = "tr_2" }, None));
    }

    [Fact]
    public async Task Retention_rows_never_show_as_due_entries_and_due_entries_never_as_retention()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var due = new DueEntry(Now, "cl_a", "tr_1", "welcome");
        await new TableTreatmentIndex(tables).AddAsync([due], new RetentionEntry(RetentionReason.Settled, Day, "cl_a", "tr_1"), None);

        Assert.Equal([due], await new TableDueIndex(tables, new Aftercare.Core.Delivery.DispatchOptions()).ListAllDueAsync(Now.Plus(Duration.FromDays(3650)), 100, None));
        Assert.Equal(
            [new RetentionEntry(RetentionReason.Settled, Day, "cl_a", "tr_1")],
            await new TableRetentionIndex(tables).ListDueAsync(RetentionReason.Settled, Day.PlusDays(3650), 100, None));
    }

    [Fact]
    public async Task The_sweep_reads_every_shard_and_the_legacy_table_and_moves_legacy_entries_to_their_shard()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var index = new TableRetentionIndex(tables, new DispatchOptions { Shards = 5 });
        var treatments = Enumerable.Range(0, 20).Select(i => $"tr_{i:D2}").ToList();
        Assert.Equal(5, treatments.Select(t => DispatchShards.Of(t, 5)).Distinct().Count());
        foreach (var treatment in treatments.Take(15))
        {
            await index.AddAsync(new RetentionEntry(RetentionReason.Settled, Day.PlusDays(-1), "cl_a", treatment), None);
        }

        // As deployments before the shards stored them: PK "{reason}|{day}", RK "{clinic}|{treatment}" in the retention table.
        foreach (var treatment in treatments.Skip(15))
        {
            await tables.Retention.UpsertAsync(
                new TableEntity("settled|20261119", "cl_a|" + treatment) { ["ClinicId"] = "cl_a", ["TreatmentId"] = treatment }, TableUpdateMode.Replace);
        }

        await tables.Retention.UpsertAsync(
            new TableEntity("settled|20261121", "cl_a|tr_later") { ["ClinicId"] = "cl_a", ["TreatmentId"] = "tr_later" }, TableUpdateMode.Replace);

        var listed = await index.ListDueAsync(RetentionReason.Settled, Day, 100, None);

        Assert.Equal(treatments, listed.Select(e => e.TreatmentId));
        Assert.All(listed, e => Assert.Equal(Day.PlusDays(-1), e.Day));
        Assert.Equal(["tr_later"], (await tables.Retention.QueryAsync().ToListAsync()).Select(r => r.GetString("TreatmentId")));
        Assert.Equal(20, (await tables.DueIndex.QueryAsync().ToListAsync()).Count(r => r.RowKey.StartsWith("retain|", StringComparison.Ordinal)));

        foreach (var entry in listed)
        {
            await index.RemoveAsync(entry, None);
        }

        Assert.Empty(await index.ListDueAsync(RetentionReason.Settled, Day, 100, None));
        Assert.Single(await index.ListDueAsync(RetentionReason.Settled, Day.PlusDays(1), 100, None));
    }
}
