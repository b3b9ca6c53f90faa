using Aftercare.Core.Clinics;
using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableRoundTripsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_call_is_one_round_trip_a_transaction_is_one_and_each_query_page_is_one()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);

        using (var scope = roundTrips.BeginScope())
        {
            await table.SubmitAsync([.. Enumerable.Range(0, 25).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i:D2}")))]);
            Assert.Equal(1, scope.Calls);
        }

        using (var scope = roundTrips.BeginScope())
        {
            var pages = await table.QueryAsync(maxPerPage: 10).AsPages().CountAsync();
            Assert.Equal((3, 3), (pages, scope.Calls));
        }

        using (var scope = roundTrips.BeginScope())
        {
            await table.FindAsync("p", "r00");
            await table.FindAsync("p", "absent");
            Assert.Equal(2, scope.Calls);
        }
    }

    [Fact]
    public async Task Retries_of_a_call_are_not_counted_again()
    {
        var roundTrips = new TableRoundTrips();
        var attempts = new AttemptCounter();
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.AddPolicy(roundTrips, HttpPipelinePosition.PerCall);
        options.AddPolicy(attempts, HttpPipelinePosition.PerRetry);

        // Nothing listens on this port: every attempt is refused, and the pipeline retries.
        var nowhere = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};TableEndpoint=http://127.0.0.1:{FreePort.Next()}/{AzuriteServer.AccountName};";
        var table = new AftercareTable(new TableServiceClient(nowhere, options).GetTableClient("unreachable"));

        await Assert.ThrowsAsync<AggregateException>(() => table.FindAsync("p", "r"));

        Assert.Equal((1, 3), (roundTrips.Total, attempts.Count));
    }

    [Fact]
    public async Task Scopes_nest_stop_when_disposed_and_count_only_their_own_flow()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var totalBefore = roundTrips.Total;

        using var outer = roundTrips.BeginScope();
        await table.FindAsync("p", "r");
        using (var inner = roundTrips.BeginScope())
        {
            await table.FindAsync("p", "r");
            await table.FindAsync("p", "r");
            Assert.Equal(2, inner.Calls);
        }

        var ended = roundTrips.BeginScope();
        ended.Dispose();
        await table.FindAsync("p", "r");

        var concurrent = await Task.WhenAll(Enumerable.Range(1, 4).Select(calls => Task.Run(async () =>
        {
            using var own = roundTrips.BeginScope();
            for (var i = 0; i < calls; i++)
            {
                await table.FindAsync("p", "r");
            }

            return own.Calls;
        })));

        Assert.Equal(0, ended.Calls);
        Assert.Equal([1, 2, 3, 4], concurrent);
        Assert.Equal(4 + 10, outer.Calls);
        Assert.Equal(totalBefore + 4 + 10, roundTrips.Total);
    }

    [Fact]
    public async Task The_registration_builds_the_client_from_the_bound_options_with_the_counter_on_it()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var services = new ServiceCollection();
        services.AddOptions<TableStorageOptions>().Configure(o => (o.ConnectionString, o.TablePrefix) = (azurite.ConnectionString, prefix));
        services.AddAzureClients(clients => clients.AddAftercareTableServiceClient());
        services.AddSingleton(TestKeys.PhoneHasher).AddSingleton(TestKeys.SecretCipher);
        services.AddAftercareTableStorage();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<AftercareTables>().EnsureCreatedAsync();
        var roundTrips = provider.GetRequiredService<TableRoundTrips>();
        using var scope = roundTrips.BeginScope();
        var found = await provider.GetRequiredService<IClinicStore>().FindAsync("cl_unknown", CancellationToken.None);

        Assert.Null(found);
        Assert.Equal(1, scope.Calls);
        Assert.Equal(prefix + "clinics", provider.GetRequiredService<AftercareTables>().Clinics.Name);
        Assert.IsType<TableTreatmentStore>(provider.GetRequiredService<ITreatmentStore>());
    }

    [Fact]
    public void A_table_endpoint_gives_a_client_for_a_managed_identity_without_any_request()
    {
        var services = new ServiceCollection();
        services.AddOptions<TableStorageOptions>().Configure(o =>
        {
            o.TableEndpoint = new Uri("https://account.table.core.windows.net");
            o.ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001";
        });
        services.AddAzureClients(clients => clients.AddAftercareTableServiceClient());
        services.AddAftercareTableStorage();
        using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<TableServiceClient>();

        Assert.Equal(new Uri("https://account.table.core.windows.net"), client.Uri);
        Assert.Equal(0, provider.GetRequiredService<TableRoundTrips>().Total);
    }

    [Fact]
    public void Without_a_connection_string_or_endpoint_resolving_storage_fails_clearly()
    {
        var services = new ServiceCollection();
        services.AddOptions<TableStorageOptions>();
        services.AddAzureClients(clients => clients.AddAftercareTableServiceClient());
        services.AddAftercareTableStorage();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ITreatmentStore>());

        Assert.Contains("not configured", ex.Message, StringComparison.Ordinal);
    }

    private sealed class AttemptCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
