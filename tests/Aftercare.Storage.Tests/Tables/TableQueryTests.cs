using Aftercare.Storage.Tables;
using Aftercare.Testing;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableQueryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Small_pages_follow_continuation_tokens_until_every_entity_is_read()
    {
        var table = await azurite.CreateTableAsync();
        for (var p = 0; p < 3; p++)
        {
            var batch = Enumerable.Range(0, 25)
                .Select(r => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity($"p{p}", $"r{r:D2}") { ["N"] = (p * 100) + r }));
            await table.SubmitTransactionAsync(batch);
        }

        var pages = new List<IReadOnlyList<TableEntity>>();
        await foreach (var page in table.QueryAsync(maxPerPage: 7).AsPages())
        {
            pages.Add(page.Values);
        }

        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(75, all.Count);
        Assert.True(pages.Count >= 11, $"expected continuation to split 75 entities into pages of 7, got {pages.Count} pages");
        Assert.All(pages, p => Assert.True(p.Count <= 7));
        Assert.Equal(all.Select(e => (e.PartitionKey, e.RowKey)).Distinct().Count(), all.Count);
        Assert.Equal(all.OrderBy(e => e.PartitionKey, StringComparer.Ordinal).ThenBy(e => e.RowKey, StringComparer.Ordinal), all);
    }

    [Fact]
    public async Task A_query_can_resume_from_a_continuation_token()
    {
        var table = await azurite.CreateTableAsync();
        await table.SubmitTransactionAsync(Enumerable.Range(0, 10)
            .Select(r => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{r}"))));

        var first = await table.QueryAsync(maxPerPage: 4).AsPages().FirstAsync();
        var rest = await table.QueryAsync(maxPerPage: 4).AsPages(first.ContinuationToken).SelectMany(p => p.Values.ToAsyncEnumerable()).ToListAsync();

        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(Enumerable.Range(0, 10).Select(r => $"r{r}"), first.Values.Concat(rest).Select(e => e.RowKey));
    }

    [Fact]
    public async Task Filters_built_with_typed_literals_match_by_type()
    {
        var table = await azurite.CreateTableAsync();
        var at = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("p", "a") { ["Long"] = 5_000_000_000L, ["At"] = at, ["Id"] = id, ["Flag"] = true, ["D"] = 1.5 });
        await table.AddEntityAsync(new TableEntity("p", "b") { ["Long"] = 1L, ["At"] = at.AddDays(1), ["Id"] = Guid.NewGuid(), ["Flag"] = false, ["D"] = 2.5 });

        async Task<string[]> Rows(string filter) => await table.QueryAsync(filter).Select(e => e.RowKey).ToArrayAsync();

        Assert.Equal(["a"], await Rows(TableFilter.Create($"Long gt {4_000_000_000L}")));
        Assert.Equal(["b"], await Rows(TableFilter.Create($"At gt {at}")));
        Assert.Equal(["a"], await Rows(TableFilter.Create($"Id eq {id}")));
        Assert.Equal(["b"], await Rows(TableFilter.Create($"Flag eq {false}")));
        Assert.Equal(["b"], await Rows(TableFilter.Create($"D ge {2.0}")));
        Assert.Equal(["a", "b"], await Rows(TableFilter.Create($"PartitionKey eq {"p"} and RowKey ge {"a"}")));
    }

    [Fact]
    public void Literals_are_typed_and_quotes_are_doubled()
    {
        Assert.Equal("'it''s'", TableFilter.Literal("it's"));
        Assert.Equal("''''''", TableFilter.Literal("''"));
        Assert.Equal("123L", TableFilter.Literal(123L));
        Assert.Equal("7", TableFilter.Literal(7));
        Assert.Equal("2.0", TableFilter.Literal(2.0));
        Assert.Equal("true", TableFilter.Literal(true));
        Assert.Equal("datetime'2026-05-01T10:00:00.0000000Z'", TableFilter.Literal(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.FromHours(2))));
        Assert.Equal("guid'00000000-0000-0000-0000-000000000001'", TableFilter.Literal(new Guid("00000000-0000-0000-0000-000000000001")));
        Assert.Equal("PartitionKey eq 'x'' or PartitionKey ne ''y'", TableFilter.Create($"PartitionKey eq {"x' or PartitionKey ne 'y"}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(1.5m));
        Assert.Throws<ArgumentNullException>(() => TableFilter.Literal(null));
    }
}
