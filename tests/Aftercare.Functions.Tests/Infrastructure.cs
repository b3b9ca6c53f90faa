using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// One Azurite (its Table and Queue services) and one Prism (Twilio's spec) for all end-to-end tests; each test gets its
/// own app and tables (and so its own shard leases); the dispatch queue is shared, and each app drains what its timer wrote.
/// </summary>
public sealed class Infrastructure : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>Azurite's Queue service: the host's <c>AzureWebJobsStorage</c> for the dispatch fan-out's queue.</summary>
    public AzuriteQueues Queues { get; private set; } = null!;

    public PrismServer Prism { get; } = new();

    public async Task InitializeAsync()
    {
        var azurite = AzuriteServer.StartInMemoryAsync();
        var queues = AzuriteQueues.StartAsync();
        await Prism.InitializeAsync();
        Azurite = await azurite;
        Queues = await queues;
    }

    public async Task DisposeAsync()
    {
        await Prism.DisposeAsync();
        if (Queues is not null)
        {
            await Queues.DisposeAsync();
        }

        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedInfrastructure : ICollectionFixture<Infrastructure>
{
    public const string Name = "Azurite and Prism";
}
