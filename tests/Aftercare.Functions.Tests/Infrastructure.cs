using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>One Azurite and one Prism (Twilio's spec) for all end-to-end tests; each test gets its own app and tables.</summary>
public sealed class Infrastructure : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    public PrismServer Prism { get; } = new();

    public async Task InitializeAsync()
    {
        var azurite = AzuriteServer.StartInMemoryAsync();
        await Prism.InitializeAsync();
        Azurite = await azurite;
    }

    public async Task DisposeAsync()
    {
        await Prism.DisposeAsync();
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
