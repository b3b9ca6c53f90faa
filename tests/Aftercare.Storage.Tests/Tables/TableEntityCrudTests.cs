using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableEntityCrudTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Add_then_get_returns_the_entity_with_its_etag_and_timestamp()
    {
        var table = await azurite.CreateTableAsync();
        var response = await table.AddEntityAsync(new TableEntity("p", "r") { ["Name"] = "Ana", ["Count"] = 3 });

        var read = (await table.GetEntityAsync("p", "r")).Value;

        Assert.Equal("Ana", read.GetString("Name"));
        Assert.Equal(3, read.GetInt32("Count"));
        Assert.Equal(response.Headers.ETag, read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task Creating_an_existing_table_is_not_an_error()
    {
        var table = await azurite.CreateTableAsync();
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));
        Assert.NotNull((await table.GetEntityAsync("p", "r")).Value);
    }

    [Fact]
    public async Task Adding_twice_throws_a_typed_conflict()
    {
        var table = await azurite.CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });

        var ex = await Assert.ThrowsAsync<TableConflictException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(1, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Getting_a_missing_entity_throws_a_typed_not_found()
    {
        var table = await azurite.CreateTableAsync();
        var ex = await Assert.ThrowsAsync<TableNotFoundException>(() => table.GetEntityAsync("p", "missing"));
        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task Upsert_replace_drops_properties_that_upsert_merge_keeps()
    {
        var table = await azurite.CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "merge") { ["A"] = "a", ["B"] = "b" });
        await table.AddEntityAsync(new TableEntity("p", "replace") { ["A"] = "a", ["B"] = "b" });

        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["B"] = "B2" }, TableUpdateMode.Merge);
        await table.UpsertEntityAsync(new TableEntity("p", "replace") { ["B"] = "B2" }, TableUpdateMode.Replace);

        var merged = (await table.GetEntityAsync("p", "merge")).Value;
        var replaced = (await table.GetEntityAsync("p", "replace")).Value;
        Assert.Equal(("a", "B2"), (merged.GetString("A"), merged.GetString("B")));
        Assert.Null(replaced.GetString("A"));
        Assert.Equal("B2", replaced.GetString("B"));
    }

    [Fact]
    public async Task Upsert_inserts_when_missing()
    {
        var table = await azurite.CreateTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "new") { ["A"] = "a" }, TableUpdateMode.Replace);
        Assert.Equal("a", (await table.GetEntityAsync("p", "new")).Value.GetString("A"));
    }

    [Fact]
    public async Task Update_with_the_current_etag_succeeds_and_with_a_stale_one_throws_precondition_failed()
    {
        var table = await azurite.CreateTableAsync();
        var first = (await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 })).Headers.ETag!.Value;

        var second = (await table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, first, TableUpdateMode.Replace)).Headers.ETag!.Value;
        var ex = await Assert.ThrowsAsync<TablePreconditionFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, first, TableUpdateMode.Merge));

        Assert.NotEqual(first, second);
        Assert.Equal(412, ex.Status);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Update_of_a_missing_entity_throws_not_found()
    {
        var table = await azurite.CreateTableAsync();
        await Assert.ThrowsAsync<TableNotFoundException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "none") { ["V"] = 1 }, ETag.All, TableUpdateMode.Replace));
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_throws_and_keeps_the_entity_then_deletes_with_the_current_one()
    {
        var table = await azurite.CreateTableAsync();
        var stale = (await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 })).Headers.ETag!.Value;
        var current = (await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 })).Headers.ETag!.Value;

        await Assert.ThrowsAsync<TablePreconditionFailedException>(() => table.DeleteEntityAsync("p", "r", stale));
        Assert.Equal(2, (await table.GetEntityAsync("p", "r")).Value.GetInt32("V"));

        await table.DeleteEntityAsync("p", "r", current);
        await Assert.ThrowsAsync<TableNotFoundException>(() => table.GetEntityAsync("p", "r"));
    }

    [Fact]
    public async Task Deleting_a_missing_entity_throws_not_found_which_callers_can_ignore()
    {
        var table = await azurite.CreateTableAsync();
        var ex = await Assert.ThrowsAsync<TableNotFoundException>(() => table.DeleteEntityAsync("p", "gone"));
        Assert.Equal(404, ex.Status);
    }

    [Fact]
    public async Task Deleting_the_table_removes_it()
    {
        var service = azurite.CreateServiceClient();
        var table = await azurite.CreateTableAsync();
        await service.DeleteTableAsync(table.Name);
        var ex = await Assert.ThrowsAsync<TableNotFoundException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal("TableNotFound", ex.ErrorCode);
    }
}
