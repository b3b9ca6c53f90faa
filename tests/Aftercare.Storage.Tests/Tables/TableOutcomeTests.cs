using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests.Tables;

/// <summary>How <see cref="AftercareTable"/> turns the service's refusals into outcomes, and lets every other failure through.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class TableOutcomeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Adding_an_existing_entity_is_false_and_keeps_the_first()
    {
        var table = await azurite.CreateTableAsync();

        Assert.True(await table.TryAddAsync(new TableEntity("p", "r") { ["V"] = 1 }));
        Assert.False(await table.TryAddAsync(new TableEntity("p", "r") { ["V"] = 2 }));

        Assert.Equal(1, (await table.FindAsync("p", "r"))!.GetInt32("V"));
    }

    [Fact]
    public async Task A_transaction_of_inserts_meeting_an_existing_entity_is_false_and_writes_nothing()
    {
        var table = await azurite.CreateTableAsync();
        Assert.True(await table.TryAddAsync(new TableEntity("p", "exists") { ["V"] = "original" }));
        TableEntity[] rows = [new("p", "a"), new("p", "b"), new("p", "exists") { ["V"] = "changed" }, new("p", "c")];

        Assert.False(await table.TryAddAllAsync(rows));

        var stored = Assert.Single(await table.QueryAsync().ToListAsync());
        Assert.Equal(("exists", "original"), (stored.RowKey, stored.GetString("V")));

        // What the mapping reads: the service names the third action, with 409 EntityAlreadyExists.
        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(
            () => azurite.Unguarded(table).SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r))));
        Assert.Equal((409, "EntityAlreadyExists", 2), (ex.Status, ex.ErrorCode, ex.FailedTransactionActionIndex));
    }

    [Fact]
    public async Task Any_other_transaction_failure_propagates_with_the_failing_action()
    {
        var table = await azurite.CreateTableAsync();
        Assert.True(await table.TryAddAsync(new TableEntity("p", "r") { ["V"] = 1 }));
        var stale = (await table.FindAsync("p", "r"))!.ETag;
        await table.UpsertAsync(new TableEntity("p", "r") { ["V"] = 2 }, TableUpdateMode.Replace);

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "other")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "r") { ["V"] = 3 }, stale),
        ]));

        Assert.Equal((412, 1), (ex.Status, ex.FailedTransactionActionIndex));
        Assert.Equal(2, (await table.FindAsync("p", "r"))!.GetInt32("V"));
        Assert.Null(await table.FindAsync("p", "other"));
    }

    [Fact]
    public async Task A_conditional_replace_returns_the_new_etag_or_null_when_the_entity_changed_or_is_gone()
    {
        var table = await azurite.CreateTableAsync();
        Assert.True(await table.TryAddAsync(new TableEntity("p", "r") { ["V"] = 1 }));
        var first = (await table.FindAsync("p", "r"))!.ETag;

        var second = await table.TryReplaceAsync(new TableEntity("p", "r") { ["V"] = 2 }, first);
        var stale = await table.TryReplaceAsync(new TableEntity("p", "r") { ["V"] = 3 }, first);
        var gone = await table.TryReplaceAsync(new TableEntity("p", "never-written") { ["V"] = 4 }, first);

        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Null(stale);
        Assert.Null(gone);
        var stored = (await table.FindAsync("p", "r"))!;
        Assert.Equal((2, second), (stored.GetInt32("V"), (ETag?)stored.ETag));
        Assert.Null(await table.FindAsync("p", "never-written"));
    }

    [Fact]
    public async Task A_missing_table_is_a_fault_not_a_lost_race()
    {
        var table = new AftercareTable(azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("missing")));

        var replace = await Assert.ThrowsAsync<RequestFailedException>(() => table.TryReplaceAsync(new TableEntity("p", "r"), ETag.All));
        var find = await Assert.ThrowsAsync<RequestFailedException>(() => table.FindAsync("p", "r"));

        Assert.Equal((404, "TableNotFound"), (replace.Status, replace.ErrorCode));
        Assert.Equal((404, "TableNotFound"), (find.Status, find.ErrorCode));
    }

    [Fact]
    public async Task The_SDKs_look_up_reports_a_missing_table_as_a_missing_entity_which_is_why_FindAsync_checks()
    {
        var client = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("missing"));

        var response = await client.GetEntityIfExistsAsync<TableEntity>("p", "r");

        Assert.False(response.HasValue);
        Assert.Equal(404, response.GetRawResponse().Status);
    }

    [Fact]
    public async Task Deleting_an_absent_entity_is_done_and_deleting_a_present_one_removes_it()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        Assert.True(await table.TryAddAsync(new TableEntity("p", "r")));

        using var scope = roundTrips.BeginScope();
        await table.DeleteAsync("p", "r");
        await table.DeleteAsync("p", "r");
        await table.DeleteAsync("p", "never-written");

        Assert.Equal(3, scope.Calls);
        Assert.Null(await table.FindAsync("p", "r"));
    }

    [Fact]
    public async Task Upsert_replace_drops_the_properties_upsert_merge_keeps()
    {
        var table = await azurite.CreateTableAsync();
        Assert.True(await table.TryAddAsync(new TableEntity("p", "merge") { ["A"] = "a", ["B"] = "b" }));
        Assert.True(await table.TryAddAsync(new TableEntity("p", "replace") { ["A"] = "a", ["B"] = "b" }));

        await table.UpsertAsync(new TableEntity("p", "merge") { ["B"] = "B2" }, TableUpdateMode.Merge);
        await table.UpsertAsync(new TableEntity("p", "replace") { ["B"] = "B2" }, TableUpdateMode.Replace);
        await table.UpsertAsync(new TableEntity("p", "new") { ["A"] = "a" }, TableUpdateMode.Replace);

        var merged = (await table.FindAsync("p", "merge"))!;
        var replaced = (await table.FindAsync("p", "replace"))!;
        Assert.Equal(("a", "B2"), (merged.GetString("A"), merged.GetString("B")));
        Assert.Equal(((string?)null, "B2"), (replaced.GetString("A"), replaced.GetString("B")));
        Assert.Equal("a", (await table.FindAsync("p", "new"))!.GetString("A"));
    }

    [Fact]
    public async Task A_conditional_replace_needs_an_etag()
    {
        var table = await azurite.CreateTableAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => table.TryReplaceAsync(new TableEntity("p", "r"), default));
    }
}
