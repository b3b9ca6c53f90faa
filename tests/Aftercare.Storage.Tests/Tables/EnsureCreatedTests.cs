using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests.Tables;

/// <summary>
/// Start-up's table check (issue 16, cold start): one query finds the tables that exist, and only missing ones are
/// created, so a start against an account that has them costs one request, not one per table.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class EnsureCreatedTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Creates_every_table_then_only_a_missing_one_then_nothing_in_one_request()
    {
        var roundTrips = new TableRoundTrips();
        var service = azurite.CreateServiceClient(roundTrips);
        var prefix = AzuriteFixture.UniquePrefix();
        var tables = new AftercareTables(service, prefix);

        // A table whose name only starts with ours is not one of ours.
        await service.CreateTableIfNotExistsAsync(prefix + "clinicsold");

        using (var scope = roundTrips.BeginScope())
        {
            await tables.EnsureCreatedAsync();
            Assert.Equal(1 + tables.All.Count, scope.Calls);
        }

        Assert.Equal(tables.All.Select(t => t.Name).Append(prefix + "clinicsold").Order(StringComparer.Ordinal), await NamesAsync(service, prefix));

        await service.DeleteTableAsync(tables.Replies.Name);
        using (var scope = roundTrips.BeginScope())
        {
            await tables.EnsureCreatedAsync();
            Assert.Equal(2, scope.Calls);
        }

        Assert.Contains(tables.Replies.Name, await NamesAsync(service, prefix));
        using (var scope = roundTrips.BeginScope())
        {
            await tables.EnsureCreatedAsync();
            Assert.Equal(1, scope.Calls);
        }
    }

    private static async Task<List<string>> NamesAsync(TableServiceClient service, string prefix) =>
        await service.QueryAsync(TableClient.CreateQueryFilter($"TableName ge {prefix} and TableName lt {prefix + "~"}"))
            .Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal).ToListAsync();
}
