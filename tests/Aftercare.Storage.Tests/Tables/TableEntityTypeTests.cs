using Aftercare.Storage.Tables;
using Aftercare.Testing;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableEntityTypeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_supported_type_round_trips_as_the_same_type_and_value()
    {
        var table = await azurite.CreateTableAsync();
        var when = new DateTimeOffset(2025, 3, 9, 1, 59, 59, TimeSpan.FromHours(-8)).AddTicks(1234567);
        var guid = Guid.NewGuid();
        byte[] bytes = [0, 1, 2, 250, 255];
        var written = new TableEntity("p", "r")
        {
            ["Text"] = "plain",
            ["Empty"] = string.Empty,
            ["Unicode"] = "é 中文 😀 \"quoted\" \\ back",
            ["True"] = true,
            ["False"] = false,
            ["Int"] = int.MinValue,
            ["SmallLong"] = 5L,
            ["BigLong"] = long.MaxValue,
            ["WholeDouble"] = 2.0,
            ["Double"] = 0.1 + 0.2,
            ["NaN"] = double.NaN,
            ["When"] = when,
            ["Guid"] = guid,
            ["Bytes"] = bytes,
            ["NoBytes"] = Array.Empty<byte>(),
        };

        await table.AddEntityAsync(written);
        var viaGet = (await table.GetEntityAsync("p", "r")).Value;
        var viaQuery = await table.QueryAsync().SingleAsync();

        foreach (var read in new[] { viaGet, viaQuery })
        {
            Assert.Equal(written.Keys.Order(), read.Keys.Order());
            foreach (var (name, value) in written)
            {
                Assert.IsType(value.GetType(), read[name]);
                Assert.Equal(value, read[name]);
            }

            Assert.Equal(when, read.GetDateTimeOffset("When"));
            Assert.Equal(TimeSpan.Zero, read.GetDateTimeOffset("When")!.Value.Offset);
            Assert.Equal(long.MaxValue, read.GetInt64("BigLong"));
            Assert.Equal(int.MinValue, read.GetInt64("Int"));
        }
    }

    [Fact]
    public async Task Typed_getters_refuse_the_wrong_type_and_return_null_when_absent()
    {
        var table = await azurite.CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Long"] = 7L });
        var read = (await table.GetEntityAsync("p", "r")).Value;

        Assert.Throws<InvalidOperationException>(() => read.GetInt32("Long"));
        Assert.Throws<InvalidOperationException>(() => read.GetString("Long"));
        Assert.Null(read.GetString("Missing"));
        Assert.Null(read.GetInt64("Missing"));
    }

    [Fact]
    public void Unsupported_values_and_system_names_are_refused()
    {
        var entity = new TableEntity("p", "r");
        Assert.Throws<ArgumentException>(() => entity["Decimal"] = 1.5m);
        Assert.Throws<ArgumentException>(() => entity["PartitionKey"] = "x");
        Assert.Throws<ArgumentException>(() => entity["Timestamp"] = DateTimeOffset.UnixEpoch);
        Assert.Throws<ArgumentException>(() => entity["a@odata.type"] = "Edm.String");
        Assert.Throws<ArgumentNullException>(() => entity["Null"] = null!);
        Assert.Empty(entity);
    }

    [Fact]
    public async Task Select_returns_only_the_named_columns()
    {
        var table = await azurite.CreateTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        var read = await table.QueryAsync(columns: ["A"]).SingleAsync();

        Assert.Equal("a", read.GetString("A"));
        Assert.False(read.ContainsKey("B"));
    }
}
