using System.Collections.Concurrent;
using Aftercare.FunctionsHost.App;
using Azure.Identity;
using Azure.Storage.Queues;

namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// Queue clients by connection name, resolved as the WebJobs storage extensions resolve a <c>connection</c>: the app
/// setting <c>&lt;name&gt;</c> (or <c>AzureWebJobs&lt;name&gt;</c>) holding a connection string, else
/// <c>&lt;name&gt;__queueServiceUri</c> with a <see cref="DefaultAzureCredential"/>
/// (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity).
/// Every client uses the host's <c>messageEncoding</c>, for triggers and outputs alike.
/// </summary>
internal sealed class QueueClients(AppSettings settings, QueueMessageEncoding encoding)
{
    private readonly ConcurrentDictionary<string, QueueServiceClient> _services = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The queue <paramref name="queueName"/> (already resolved) on the account <paramref name="connection"/> names.</summary>
    /// <exception cref="InvalidOperationException">No setting for the connection.</exception>
    public QueueClient Get(string connection, string queueName) =>
        _services.GetOrAdd(connection, Create).GetQueueClient(queueName);

    private QueueServiceClient Create(string connection)
    {
        var options = new QueueClientOptions { MessageEncoding = encoding };
        var connectionString = settings[connection] is { Length: > 0 } direct ? direct : settings["AzureWebJobs" + connection];
        if (!string.IsNullOrEmpty(connectionString))
        {
            return new QueueServiceClient(connectionString, options);
        }

        if (settings[connection + "__queueServiceUri"] is { Length: > 0 } uri)
        {
            return new QueueServiceClient(new Uri(uri), new DefaultAzureCredential(), options);
        }

        throw new InvalidOperationException(
            $"Storage account connection '{connection}' is not set: give a connection string in '{connection}' or a URI in '{connection}__queueServiceUri'.");
    }
}
