using Aftercare.Testing;

namespace Aftercare.LoadHarness;

/// <summary>
/// The storage emulator of a load run (Azurite, in memory) behind one counting proxy per service, so the workers' and
/// the host's storage requests are counted as the service sees them; the seeder writes directly, uncounted.
/// </summary>
internal sealed class LoadStorage : IAsyncDisposable
{
    private readonly AzuriteServer _azurite;
    private readonly CountingProxy _tables;

    private LoadStorage(AzuriteServer azurite, CountingProxy tables)
    {
        _azurite = azurite;
        _tables = tables;
    }

    public long TableRequests => _tables.Count;

    public long QueueRequests => 0;

    /// <summary>The emulator itself, for seeding.</summary>
    public string DirectConnectionString => _azurite.ConnectionString;

    /// <summary>Through the proxies, for the hosts and workers.</summary>
    public string ProxiedConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};"
        + $"TableEndpoint=http://127.0.0.1:{_tables.Port}/{AzuriteServer.AccountName};";

    public static async Task<LoadStorage> StartAsync(CancellationToken cancellationToken)
    {
        var azurite = await AzuriteServer.StartInMemoryAsync();
        var tables = await CountingProxy.StartAsync(azurite.TableEndpoint, cancellationToken);
        return new LoadStorage(azurite, tables);
    }

    public async ValueTask DisposeAsync()
    {
        await _tables.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
