using System.Globalization;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Aftercare.Testing;

/// <summary>
/// Azurite's Queue service in memory on a free loopback port, with clients that encode messages as the Functions host
/// does (base64). Disposal stops it and deletes its folder.
/// </summary>
public sealed class AzuriteQueues : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _folder;

    private AzuriteQueues(ChildProcess process, int port, string folder)
    {
        _process = process;
        _folder = folder;
        QueueEndpoint = new Uri($"http://127.0.0.1:{port}/{AzuriteServer.AccountName}");
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};QueueEndpoint=http://127.0.0.1:{port}/{AzuriteServer.AccountName};";
    }

    /// <summary>The Queue service endpoint, with the account in the path, e.g. http://127.0.0.1:41234/devstoreaccount1.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>The connection string to give the host as <c>AzureWebJobsStorage</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<AzuriteQueues> StartAsync()
    {
        var port = FreePort.Next();
        var folder = Directory.CreateTempSubdirectory("azurite-queue-").FullName;
        var process = ChildProcess.Start(
            RepositoryPaths.NodeBin("azurite-queue"),
            ["--queueHost", "127.0.0.1", "--queuePort", port.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--disableTelemetry", "--silent", "--inMemoryPersistence"],
            workingDirectory: folder);
        try
        {
            await process.WaitForPortAsync(port, TimeSpan.FromSeconds(60));
            return new AzuriteQueues(process, port, folder);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A queue client (base64 messages), the queue created if missing.</summary>
    public async Task<QueueClient> QueueAsync(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var queue = new QueueClient(ConnectionString, name, new QueueClientOptions { MessageEncoding = encoding });
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    /// <summary>Every message text in the queue now, without taking them (peek, up to 32).</summary>
    public async Task<List<string>> PeekAsync(string name, QueueMessageEncoding encoding = QueueMessageEncoding.Base64)
    {
        var queue = await QueueAsync(name, encoding);
        PeekedMessage[] messages = await queue.PeekMessagesAsync(32);
        return [.. messages.Select(m => m.Body.ToString())];
    }

    /// <summary>How many messages the queue holds, visible or not.</summary>
    public async Task<int> CountAsync(string name)
    {
        var queue = await QueueAsync(name);
        QueueProperties properties = await queue.GetPropertiesAsync();
        return properties.ApproximateMessagesCount;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the dying process: the OS cleans the temp folder.
        }
    }
}
