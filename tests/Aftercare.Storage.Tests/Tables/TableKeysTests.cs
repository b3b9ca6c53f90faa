using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableKeysTests(AzuriteFixture azurite)
{
    public static readonly TheoryData<string> Illegal = new()
    {
        "a/b",
        "a\\b",
        "a#b",
        "a?b",
        "tab\there",
        "nul\0",
        "unit\u001F",
        "del\u007F",
        "c1\u0085",
        "last c1\u009F",
        new string('k', TableKeys.MaxLength + 1),
    };

    [Theory]
    [MemberData(nameof(Illegal))]
    public async Task Illegal_keys_are_refused_by_every_write_before_any_request(string key)
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAsync(new TableEntity(key, "r")));
        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertAsync(new TableEntity("p", key), TableUpdateMode.Replace));
        await Assert.ThrowsAsync<ArgumentException>(() => table.TryReplaceAsync(new TableEntity(key, "r"), ETag.All));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteAsync("p", key));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync([new(TableTransactionActionType.Add, new TableEntity(key, "r"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync([new(TableTransactionActionType.Delete, new TableEntity("p", key))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAllAsync([new TableEntity("p", "ok"), new TableEntity("p", key)]));

        Assert.Equal(before, roundTrips.Total);
        Assert.Empty(await table.QueryAsync().ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Illegal))]
    public async Task A_look_up_by_an_illegal_key_finds_nothing_without_a_request(string key)
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        Assert.Null(await table.FindAsync(key, "r"));
        Assert.Null(await table.FindAsync("p", key));

        Assert.Equal(before, roundTrips.Total);
    }

    [Fact]
    public async Task A_key_of_exactly_the_limit_is_stored_and_one_more_character_is_refused()
    {
        var table = await azurite.CreateTableAsync();
        var longest = new string('k', TableKeys.MaxLength);

        Assert.True(await table.TryAddAsync(new TableEntity(longest, longest)));

        Assert.NotNull(await table.FindAsync(longest, longest));
        Assert.False(TableKeys.IsValid(longest + "k"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("cl_0123|tr_abc")]
    [InlineData("no-break\u00A0space")]
    [InlineData("ünïcödé 中文 😀")]
    [InlineData("quote ' and percent %")]
    public void Keys_the_service_stores_are_valid(string key)
    {
        Assert.True(TableKeys.IsValid(key));
        TableKeys.Validate(key, nameof(key));
    }

    [Fact]
    public void The_refusal_names_the_rule_and_the_character_but_not_the_key()
    {
        var key = "+447700900123/x";

        var ex = Assert.Throws<ArgumentException>(() => TableKeys.Validate(key, "rowKey"));

        Assert.Contains("U+002F", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("7700900123", ex.Message, StringComparison.Ordinal);
        Assert.Equal("rowKey", ex.ParamName);
    }
}
