using Aftercare.Core.Privacy;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableRetentionIndexTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly LocalDate Day = new(2026, 11, 20);

    private static RetentionEntry Settled(int days, string treatment) => new(RetentionReason.Settled, Day.PlusDays(days), "cl_a", treatment);

    [Fact]
    public async Task Lists_one_reasons_entries_up_to_a_day_earliest_first()
    {
        var index = new TableRetentionIndex(await azurite.CreateAftercareTablesAsync());
        RetentionEntry[] due = [Settled(-400, "tr_old"), Settled(-1, "tr_yesterday"), Settled(0, "tr_a"), Settled(0, "tr_b")];
        RetentionEntry[] notDue = [Settled(1, "tr_tomorrow"), Settled(30, "tr_later"), new(RetentionReason.ErasureRequested, Day.PlusDays(-3), "cl_a", "tr_erase")];
        foreach (var entry in notDue.Concat(due.Reverse()))
        {
            await index.AddAsync(entry, None);
        }

        Assert.Equal(due, await index.ListDueAsync(RetentionReason.Settled, Day, 100, None));
        Assert.Equal(due[..2], await index.ListDueAsync(RetentionReason.Settled, Day, 2, None));
        Assert.Equal([notDue[2]], await index.ListDueAsync(RetentionReason.ErasureRequested, Day, 100, None));
        Assert.Empty(await index.ListDueAsync(RetentionReason.ErasureRequested, Day.PlusDays(-4), 100, None));
    }

    [Fact]
    public async Task Adding_again_is_idempotent_and_removing_is_too()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var index = new TableRetentionIndex(tables);
        var entry = Settled(0, "tr_1");

        await index.AddAsync(entry, None);
        await index.AddAsync(entry, None);
        Assert.Single(await tables.DueIndex.QueryAsync().ToListAsync());

        await index.RemoveAsync(entry, None);
        await index.RemoveAsync(entry, None);
        Assert.Empty(await index.ListDueAsync(RetentionReason.Settled, Day, 10, None));
    }
}
