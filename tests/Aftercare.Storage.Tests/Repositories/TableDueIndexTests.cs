using Aftercare.Core.Delivery;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableDueIndexTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant Now = Instant.FromUtc(2026, 6, 1, 12, 30, 30);

    private static DueEntry Entry(Duration fromNow, string stage) => new(Now.Plus(fromNow), "cl_a", "tr_1", stage);

    [Fact]
    public async Task Lists_only_due_entries_earliest_first()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync());
        var due = new[]
        {
            Entry(Duration.FromDays(-40), "old"),
            Entry(Duration.FromHours(-1), "hour-ago"),
            Entry(Duration.FromSeconds(-20), "this-minute-earlier"),
            Entry(Duration.Zero, "exactly-now"),
        };
        var notYet = new[]
        {
            Entry(Duration.FromSeconds(1), "this-minute-later"),
            Entry(Duration.FromSeconds(29), "this-minute-last-second"),
            Entry(Duration.FromMinutes(1), "next-minute"),
            Entry(Duration.FromDays(3), "later"),
        };
        await index.AddAsync([.. notYet, .. due.Reverse()], None);

        var listed = await index.ListDueAsync(Now, 100, None);

        Assert.Equal(due.Select(e => e.StageId), listed.Select(e => e.StageId));
        Assert.Equal(due, listed);
    }

    [Fact]
    public async Task Respects_the_limit_taking_the_earliest()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync());
        await index.AddAsync([.. Enumerable.Range(1, 10).Select(i => Entry(Duration.FromMinutes(-i), $"s{i}"))], None);

        var listed = await index.ListDueAsync(Now, 3, None);

        Assert.Equal(["s10", "s9", "s8"], listed.Select(e => e.StageId));
    }

    [Fact]
    public async Task Adding_again_is_idempotent_and_large_minutes_are_batched()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var index = new TableDueIndex(tables);
        var entries = Enumerable.Range(0, 150).Select(i => new DueEntry(Now.Minus(Duration.FromMilliseconds(i)), "cl_a", $"tr_{i:D3}", "now")).ToList();

        await index.AddAsync(entries, None);
        await index.AddAsync([.. entries, entries[0]], None);

        Assert.Equal(150, await tables.DueIndex.QueryAsync().CountAsync());
        Assert.Equal(150, (await index.ListDueAsync(Now, 1000, None)).Count);
    }

    [Fact]
    public async Task Remove_deletes_the_entry_and_is_idempotent()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync());
        var keep = Entry(Duration.FromMinutes(-2), "keep");
        var remove = Entry(Duration.FromMinutes(-1), "remove");
        await index.AddAsync([keep, remove], None);

        await index.RemoveAsync(remove, None);
        await index.RemoveAsync(remove, None);
        await index.RemoveAsync(Entry(Duration.FromMinutes(-5), "never-added"), None);

        Assert.Equal([keep], await index.ListDueAsync(Now, 10, None));
    }
}
