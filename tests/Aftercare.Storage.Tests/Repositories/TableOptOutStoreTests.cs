using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableOptOutStoreTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Opt_out_then_opt_in_round_trips_per_clinic()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var store = new TableOptOutStore(tables, TestKeys.PhoneHasher);
        var at = Instant.FromUtc(2026, 2, 1, 10, 0);

        Assert.False((await store.ListOptedOutAsync("cl_a", None)).Contains(Phone));
        await store.OptOutAsync("cl_a", Phone, "STOP", at, None);
        await store.OptOutAsync("cl_a", Phone, "twilio-21610", at.PlusTicks(1), None);

        Assert.True((await store.ListOptedOutAsync("cl_a", None)).Contains(Phone));
        Assert.False((await store.ListOptedOutAsync("cl_b", None)).Contains(Phone));
        Assert.False((await store.ListOptedOutAsync("cl_a", None)).Contains("+447700900124"));

        var row = Assert.Single(await tables.OptOuts.QueryAsync().ToListAsync());
        Assert.DoesNotContain("7700900123", row.RowKey, StringComparison.Ordinal);
        Assert.Equal(64, row.RowKey.Length);
        Assert.Equal("twilio-21610", row.GetString("Source"));
        Assert.Equal(at.PlusTicks(1).ToDateTimeOffset(), row.GetDateTimeOffset("At"));

        await store.OptInAsync("cl_a", Phone, None);
        await store.OptInAsync("cl_a", Phone, None);
        Assert.False((await store.ListOptedOutAsync("cl_a", None)).Contains(Phone));
    }
}
