using Xunit;

namespace Aftercare.Testing;

/// <summary>
/// One in-memory Azurite for a test class (IClassFixture) or collection (ICollectionFixture). Tests share the
/// server, never data: each takes its own table names from <see cref="UniqueTableName"/> or <see cref="UniquePrefix"/>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteServer? _server;

    public AzuriteServer Server => _server ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Server.ConnectionString;

    /// <summary>A letter-first alphanumeric prefix no other test uses (table names allow nothing else).</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static string UniqueTableName(string stem = "tbl") => UniquePrefix() + stem;

    public async Task InitializeAsync() => _server = await AzuriteServer.StartInMemoryAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
