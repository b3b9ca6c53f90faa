using Aftercare.Testing;

namespace Aftercare.LoadHarness;

/// <summary>
/// The storage emulator of a load run (Azurite's Table and Queue services, in memory) behind one counting proxy per
/// service, so the workers' and the hosts' storage requests are counted as the service sees them; the seeder writes
/// directly, uncounted.
/// </summary>
internal sealed class LoadStorage : IAsyncDisposable
{
    private readonly AzuriteServer _azurite;
    private readonly AzuriteQueues _queues;
    private readonly CountingProxy _tableProxy;
    private readonly CountingProxy _queueProxy;

    private LoadStorage(AzuriteServer azurite, AzuriteQueues queues, CountingProxy tableProxy, CountingProxy queueProxy)
    {
        _azurite = azurite;
        _queues = queues;
        _tableProxy = tableProxy;
        _queueProxy = queueProxy;
    }

    public long TableRequests => _tableProxy.Count;

    public long QueueRequests => _queueProxy.Count;

    /// <summary>The emulator's Table service itself, for seeding.</summary>
    public string DirectConnectionString => _azurite.ConnectionString;

    /// <summary>Both services through the proxies, for the hosts and workers.</summary>
    public string ProxiedConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};"
        + $"TableEndpoint=http://127.0.0.1:{_tableProxy.Port}/{AzuriteServer.AccountName};"
        + $"QueueEndpoint=http://127.0.0.1:{_queueProxy.Port}/{AzuriteServer.AccountName};";

    public static async Task<LoadStorage> StartAsync(CancellationToken cancellationToken)
    {
        var azurite = await AzuriteServer.StartInMemoryAsync();
        var queues = await AzuriteQueues.StartAsync();
        var tableProxy = await CountingProxy.StartAsync(azurite.TableEndpoint, cancellationToken);
        var queueProxy = await CountingProxy.StartAsync(queues.QueueEndpoint, cancellationToken);
        return new LoadStorage(azurite, queues, tableProxy, queueProxy);
    }

    public async ValueTask DisposeAsync()
    {
        await _tableProxy.DisposeAsync();
        await _queueProxy.DisposeAsync();
        await _queues.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
