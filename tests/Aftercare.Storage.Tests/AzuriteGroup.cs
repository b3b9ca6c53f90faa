using Aftercare.Storage.Tables;
using Aftercare.Testing;

namespace Aftercare.Storage.Tests;

/// <summary>All Azurite tests share one emulator (one node process on a 2-core machine); each uses its own tables.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

internal static class AzuriteFixtureExtensions
{
    public static TableServiceClient CreateServiceClient(this AzuriteFixture azurite) => new(azurite.ConnectionString);

    public static async Task<AftercareTables> CreateAftercareTablesAsync(this AzuriteFixture azurite)
    {
        var tables = new AftercareTables(azurite.CreateServiceClient(), AzuriteFixture.UniquePrefix());
        await tables.EnsureCreatedAsync();
        return tables;
    }

    public static async Task<TableClient> CreateTableAsync(this AzuriteFixture azurite, string stem = "tbl")
    {
        var table = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName(stem));
        await table.CreateIfNotExistsAsync();
        return table;
    }
}
