using Aftercare.Testing;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests;

public sealed class AzuriteServerTests
{
    [Fact]
    public async Task An_on_disk_server_keeps_its_data_across_stop_and_start_on_the_same_port()
    {
        await using var azurite = await AzuriteServer.StartOnDiskAsync();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient(AzuriteFixture.UniqueTableName());
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = "kept" });
        var port = azurite.Port;

        await azurite.StopAsync();
        Assert.False(azurite.IsRunning);
        await Assert.ThrowsAnyAsync<RequestFailedException>(() => table.GetEntityAsync<TableEntity>("p", "r"));

        await azurite.StartAsync();
        Assert.Equal(port, azurite.Port);
        Assert.Equal("kept", (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetString("V"));
    }
}
