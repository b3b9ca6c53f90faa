using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class InjectionShapedValueTests(AzuriteFixture azurite)
{
    private static readonly string[] HostileValues =
    [
        "x' or PartitionKey ne 'y",
        "'",
        "''",
        "%",
        "%25",
        "&",
        "a&$filter=true",
        "+ =;,",
        " leading and trailing ",
        "é",
        "中文",
        "😀",
        "ok) or (true",
        string.Empty,
    ];

    public static TheoryData<string> HostileButLegal => new(HostileValues);

    public static readonly TheoryData<string> Illegal = new()
    {
        "a/b",
        "a\\b",
        "a#b",
        "a?b",
        "tab\there",
        "nul\0",
        "del\u007F",
        "c1\u0085",
        new string('k', TableKeys.MaxLength + 1),
    };

    [Fact]
    public async Task Hostile_property_values_in_filters_match_exactly_their_own_entity()
    {
        var table = await azurite.CreateTableAsync();
        var values = HostileValues.Append("y").Append("x").ToList();
        for (var i = 0; i < values.Count; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i:D2}") { ["V"] = values[i] });
        }

        for (var i = 0; i < values.Count; i++)
        {
            var matches = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"} and V eq {values[i]}")).ToListAsync();
            Assert.Equal($"r{i:D2}", Assert.Single(matches).RowKey);
        }
    }

    [Theory]
    [MemberData(nameof(HostileButLegal))]
    public async Task Hostile_but_legal_keys_round_trip_through_every_operation(string key)
    {
        var table = await azurite.CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("neighbour", "neighbour"));
        await table.AddEntityAsync(new TableEntity(key, key) { ["V"] = 1 });

        var read = (await table.GetEntityAsync(key, key)).Value;
        Assert.Equal((key, key), (read.PartitionKey, read.RowKey));

        var etag = (await table.UpdateEntityAsync(new TableEntity(key, key) { ["V"] = 2 }, read.ETag, TableUpdateMode.Replace)).Headers.ETag!.Value;
        var queried = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {key} and RowKey eq {key}")).ToListAsync();
        Assert.Equal(2, Assert.Single(queried).GetInt32("V"));

        await table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateMerge, new TableEntity(key, key) { ["W"] = "w" }, etag)]);
        Assert.Equal("w", (await table.GetEntityAsync(key, key)).Value.GetString("W"));

        await table.DeleteEntityAsync(key, key);
        Assert.Equal("neighbour", Assert.Single(await table.QueryAsync().ToListAsync()).RowKey);
    }

    [Theory]
    [MemberData(nameof(Illegal))]
    public async Task Illegal_keys_are_refused_before_any_request(string key)
    {
        var (client, handler) = RecordingHandler.CreateClient();
        var table = client.GetTableClient("anytable");

        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity(key, "r")));
        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync(key, "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity(key, "r"), ETag.All));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync("p", key));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([new(TableTransactionActionType.Add, new TableEntity(key, "r"))]));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void A_key_of_exactly_the_limit_is_allowed()
    {
        TableKeys.Validate(new string('k', TableKeys.MaxLength), "key");
        Assert.Throws<ArgumentException>(() => TableKeys.Validate(new string('k', TableKeys.MaxLength + 1), "key"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("ab-cd")]
    [InlineData("tables")]
    public void Invalid_table_names_are_refused(string name)
    {
        var (client, _) = RecordingHandler.CreateClient();
        Assert.Throws<ArgumentException>(() => client.GetTableClient(name));
    }
}
