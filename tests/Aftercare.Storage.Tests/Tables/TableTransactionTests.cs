using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableTransactionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_transaction_applies_add_upsert_update_and_delete_together()
    {
        var table = await azurite.CreateTableAsync();
        var updateEtag = (await table.AddEntityAsync(new TableEntity("p", "update") { ["V"] = 1 })).Headers.ETag!.Value;
        await table.AddEntityAsync(new TableEntity("p", "delete"));
        await table.AddEntityAsync(new TableEntity("p", "merge") { ["Keep"] = "k" });

        var response = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["V"] = "new" }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsert") { ["V"] = 2L }),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "merge") { ["V"] = "m" }),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "update") { ["V"] = 2 }, updateEtag),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
        ]);

        Assert.Equal(5, response.Value.Count);
        Assert.All(response.Value, r => Assert.Equal(204, r.Status));
        var rows = await table.QueryAsync().ToDictionaryAsync(e => e.RowKey);
        Assert.Equal(["add", "merge", "update", "upsert"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("new", rows["add"].GetString("V"));
        Assert.Equal(2L, rows["upsert"].GetInt64("V"));
        Assert.Equal(("k", "m"), (rows["merge"].GetString("Keep"), rows["merge"].GetString("V")));
        Assert.Equal(2, rows["update"].GetInt32("V"));
        Assert.Equal(rows["update"].ETag, response.Value[3].ETag);
    }

    [Fact]
    public async Task A_failing_action_fails_the_whole_transaction_and_names_its_index()
    {
        var table = await azurite.CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "exists") { ["V"] = "original" });

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "a")),
            new(TableTransactionActionType.Add, new TableEntity("p", "b")),
            new(TableTransactionActionType.Add, new TableEntity("p", "exists") { ["V"] = "changed" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "c")),
        ]));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(2, ex.FailedActionIndex);
        var rows = await table.QueryAsync().ToListAsync();
        Assert.Equal("exists", Assert.Single(rows).RowKey);
        Assert.Equal("original", rows[0].GetString("V"));
    }

    [Fact]
    public async Task A_stale_etag_in_a_transaction_fails_it_with_412()
    {
        var table = await azurite.CreateTableAsync();
        var stale = (await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 })).Headers.ETag!.Value;
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var ex = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "other")),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "r") { ["V"] = 3 }, stale),
        ]));

        Assert.Equal(412, ex.Status);
        Assert.Equal(1, ex.FailedActionIndex);
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
        await Assert.ThrowsAsync<TableNotFoundException>(() => table.GetEntityAsync("p", "other"));
    }

    [Fact]
    public async Task A_transaction_of_a_hundred_actions_commits()
    {
        var table = await azurite.CreateTableAsync();
        await table.SubmitTransactionAsync(Enumerable.Range(0, 100)
            .Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"{i:D3}") { ["I"] = i })));
        Assert.Equal(100, await table.QueryAsync().CountAsync());
    }

    [Fact]
    public async Task Invalid_transactions_are_refused_before_any_request()
    {
        var (client, handler) = RecordingHandler.CreateClient();
        var table = client.GetTableClient("anytable");

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(Enumerable.Range(0, 101)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"{i}")))));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p1", "r")), new(TableTransactionActionType.Add, new TableEntity("p2", "r"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r")), new(TableTransactionActionType.Delete, new TableEntity("p", "r"), ETag.All)]));

        Assert.Empty(handler.Requests);
    }
}
