using Aftercare.Testing;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableClientHistoryTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string Phone = "+15550001111";

    [Fact]
    public async Task Returns_what_was_recorded_before_and_is_idempotent()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync());

        Assert.Empty(await history.RecordAsync("cl_a", Phone, "tr_1", None));
        Assert.Equal(["tr_1"], await history.RecordAsync("cl_a", Phone, "tr_2", None));
        Assert.Equal(["tr_1"], await history.RecordAsync("cl_a", Phone, "tr_2", None));
        Assert.Empty(await history.RecordAsync("cl_a", Phone, "tr_1", None));
        Assert.Equal(["tr_1", "tr_2"], await history.RecordAsync("cl_a", Phone, "tr_3", None));
        Assert.Empty(await history.RecordAsync("cl_b", Phone, "tr_9", None));
        Assert.Empty(await history.RecordAsync("cl_a", "+15550002222", "tr_8", None));
    }

    [Fact]
    public async Task Keeps_the_last_twenty()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync());
        for (var i = 0; i < 25; i++)
        {
            await history.RecordAsync("cl_a", Phone, $"tr_{i:D2}", None);
        }

        var before = await history.RecordAsync("cl_a", Phone, "tr_last", None);

        Assert.Equal(Enumerable.Range(5, 20).Select(i => $"tr_{i:D2}"), before);
    }

    [Fact]
    public async Task Concurrent_records_for_one_client_lose_none()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync());
        var ids = Enumerable.Range(0, 10).Select(i => $"tr_{i}").ToArray();

        var results = await Task.WhenAll(ids.Select(id => Task.Run(() => history.RecordAsync("cl_a", Phone, id, None))));
        var all = await history.RecordAsync("cl_a", Phone, "tr_after", None);

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        // Each call saw a distinct prefix of the final order: exactly one saw nothing, one saw one id, and so on.
        Assert.Equal(Enumerable.Range(0, 10), results.Select(r => r.Count).Order());
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(all.Take(results[i].Count), results[i]);
        }
    }
}
