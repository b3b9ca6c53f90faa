using Aftercare.Testing;

namespace Aftercare.FunctionsHost.Tests;

/// <summary>A <see cref="LaunchedHost"/> whose queues live in a fresh in-memory Azurite, polled every 200 ms at most.</summary>
public sealed class QueueHost : IAsyncDisposable
{
    private QueueHost(AzuriteQueues azurite, LaunchedHost launched)
    {
        Azurite = azurite;
        Launched = launched;
    }

    public AzuriteQueues Azurite { get; }

    public LaunchedHost Launched { get; }

    public FunctionsHost Host => Launched.Host;

    /// <summary>
    /// Starts Azurite and the host; <c>AzureWebJobsStorage</c> and <c>OrdersStorage</c> name Azurite, and the app setting
    /// <c>AzureFunctionsJobHost__extensions__queues__maxPollingInterval</c> overrides host.json's 30 s with 200 ms.
    /// </summary>
    public static async Task<QueueHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? queueMessageLease = null)
    {
        var azurite = await AzuriteQueues.StartAsync();
        try
        {
            var all = new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["OrdersStorage"] = azurite.ConnectionString,
                ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.200",
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            {
                all[name] = value;
            }

            return new QueueHost(azurite, await LaunchedHost.StartAsync(all, queueMessageLease));
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the host has settled a message with this id as <paramref name="result"/>, and returns every outcome for it.</summary>
    public Task<List<QueueInvocationOutcome>> SettledAsync(string messageId, QueueMessageResult result) =>
        Eventually.GetAsync(
            () =>
            {
                List<QueueInvocationOutcome> outcomes = [.. Host.QueueInvocations.Where(o => o.MessageId == messageId)];
                return outcomes.Any(o => o.Result == result) ? outcomes : null;
            },
            $"message {messageId} to be {result}");

    /// <summary>The <c>Work</c> function's marker lines for the message text <paramref name="text"/>.</summary>
    public List<string> WorkDeliveries(string text) =>
        [.. Host.Logs.Select(l => l.Message).Where(m => m.StartsWith(TestWorker.Functions.QueueFunctions.Received + " text=" + text + " ", StringComparison.Ordinal))];

    public async ValueTask DisposeAsync()
    {
        await Launched.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
