using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Core;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests;

/// <summary>All Azurite tests share one emulator (one node process on a 2-core machine); each uses its own tables.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteGroup : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

internal static class AzuriteFixtureExtensions
{
    /// <summary>A client on the emulator; with <paramref name="roundTrips"/>, counting its calls as the app does.</summary>
    public static TableServiceClient CreateServiceClient(this AzuriteFixture azurite, TableRoundTrips? roundTrips = null)
    {
        var options = new TableClientOptions();
        if (roundTrips is not null)
        {
            options.AddPolicy(roundTrips, HttpPipelinePosition.PerCall);
        }

        return new TableServiceClient(azurite.ConnectionString, options);
    }

    public static async Task<AftercareTables> CreateAftercareTablesAsync(this AzuriteFixture azurite, TableRoundTrips? roundTrips = null)
    {
        var tables = new AftercareTables(azurite.CreateServiceClient(roundTrips), AzuriteFixture.UniquePrefix());
        await tables.EnsureCreatedAsync();
        return tables;
    }

    /// <summary>A fresh table behind the guard.</summary>
    public static async Task<AftercareTable> CreateTableAsync(this AzuriteFixture azurite, TableRoundTrips? roundTrips = null)
    {
        var table = new AftercareTable(azurite.CreateServiceClient(roundTrips).GetTableClient(AzuriteFixture.UniqueTableName()));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    /// <summary>The SDK's own client on the same table, bypassing the guard: to show what Azurite does without it.</summary>
    public static TableClient Unguarded(this AzuriteFixture azurite, AftercareTable table) =>
        azurite.CreateServiceClient().GetTableClient(table.Name);
}
