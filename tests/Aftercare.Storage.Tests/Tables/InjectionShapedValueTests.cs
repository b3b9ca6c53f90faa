using Aftercare.Storage.Tests.Repositories;
using Aftercare.Testing;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests.Tables;

/// <summary>
/// Values shaped like OData or URL injection go through <see cref="TableClient.CreateQueryFilter(FormattableString)"/>,
/// keys and URLs as data, never as syntax: each matches exactly its own entity.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class InjectionShapedValueTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

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

    [Fact]
    public async Task Hostile_property_values_in_filters_match_exactly_their_own_entity()
    {
        var table = await azurite.CreateTableAsync();
        var values = HostileValues.Append("y").Append("x").ToList();
        for (var i = 0; i < values.Count; i++)
        {
            Assert.True(await table.TryAddAsync(new TableEntity("p", $"r{i:D2}") { ["V"] = values[i] }));
        }

        for (var i = 0; i < values.Count; i++)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"p"} and V eq {values[i]}");
            var matches = await table.QueryAsync(filter).ToListAsync();
            Assert.Equal($"r{i:D2}", Assert.Single(matches).RowKey);
        }
    }

    [Theory]
    [MemberData(nameof(HostileButLegal))]
    public async Task Hostile_but_legal_keys_round_trip_through_every_operation(string key)
    {
        var table = await azurite.CreateTableAsync();
        Assert.True(await table.TryAddAsync(new TableEntity("neighbour", "neighbour")));
        Assert.True(await table.TryAddAsync(new TableEntity(key, key) { ["V"] = 1 }));

        var read = await table.FindAsync(key, key);
        Assert.NotNull(read);
        Assert.Equal((key, key), (read.PartitionKey, read.RowKey));

        var etag = await table.TryReplaceAsync(new TableEntity(key, key) { ["V"] = 2 }, read.ETag);
        Assert.NotNull(etag);
        var queried = await table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {key} and RowKey eq {key}")).ToListAsync();
        Assert.Equal(2, Assert.Single(queried).GetInt32("V"));

        await table.SubmitAsync([new(TableTransactionActionType.UpdateMerge, new TableEntity(key, key) { ["W"] = "w" }, etag.Value)]);
        Assert.Equal("w", (await table.FindAsync(key, key))!.GetString("W"));

        await table.DeleteAsync(key, key);
        Assert.Null(await table.FindAsync(key, key));
        Assert.Equal("neighbour", Assert.Single(await table.QueryAsync().ToListAsync()).RowKey);
    }

    [Theory]
    [InlineData("x' or PartitionKey ne 'y")]
    [InlineData("' or RowKey ge '")]
    [InlineData("a/b#c?d")]
    [InlineData("%27%20or%20true")]
    public async Task Hostile_ids_through_the_repositories_find_nothing_of_anyone_else(string hostile)
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var treatments = new TableTreatmentStore(tables);
        var stored = TreatmentSamples.Treatment();
        Assert.True(await treatments.TryCreateAsync(stored, [TreatmentSamples.Message(0, "now")], None));
        var optOuts = new TableOptOutStore(tables, TestKeys.PhoneHasher);
        await optOuts.OptOutAsync(stored.ClinicId, stored.Client.Phone, "STOP", stored.RegisteredAt, None);

        Assert.Null(await treatments.FindAsync(hostile, stored.TreatmentId, None));
        Assert.Null(await treatments.FindAsync(stored.ClinicId, hostile, None));
        Assert.Null(await treatments.FindMessageAsync(stored.ClinicId, stored.TreatmentId, hostile, None));
        Assert.Null(await treatments.FindMessageAsync(hostile, stored.TreatmentId, "now", None));
        Assert.False((await optOuts.ListOptedOutAsync(hostile, None)).Contains(stored.Client.Phone));
        Assert.NotNull(await treatments.FindMessageAsync(stored.ClinicId, stored.TreatmentId, "now", None));
    }
}
