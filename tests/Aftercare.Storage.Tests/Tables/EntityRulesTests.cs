using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests.Tables;

/// <summary>
/// The entity value rules Azure enforces. Where Azurite would store the entity anyway, a test shows it does, so the
/// guard is what stands between a passing test run and a 400 in Azure.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class EntityRulesTests(AzuriteFixture azurite)
{
    public static TheoryData<string, TableEntity> AzuriteWouldStore => new()
    {
        { "253 properties", WithProperties(EntityRules.MaxCustomProperties + 1) },
        { "a date before 1601", Entity("At", EntityRules.MinDateTime.AddTicks(-1)) },
        { "a UTC DateTime before 1601", Entity("At", EntityRules.MinDateTime.UtcDateTime.AddDays(-1)) },
        { "a name with a hyphen", Entity("not-an-identifier", 1) },
        { "a name starting with a digit", Entity("1st", 1) },
        { "a 256-character name", Entity("N" + new string('n', EntityRules.MaxPropertyNameLength), 1) },
        { "more than 1 MiB", WithStrings(33, EntityRules.MaxStringLength / 2) },
        { "a decimal", Entity("Depth", 1.5m) },
    };

    public static TheoryData<string, TableEntity> AzuriteRefusesToo => new()
    {
        { "a string of 32K + 1 chars", Entity("Text", new string('x', EntityRules.MaxStringLength + 1)) },
        { "a binary value of 64 KiB + 1", Entity("Data", new byte[EntityRules.MaxBinaryLength + 1]) },
        { "BinaryData of 64 KiB + 1", Entity("Data", new BinaryData(new byte[EntityRules.MaxBinaryLength + 1])) },
    };

    public static TheoryData<string, TableEntity> AtTheLimits => new()
    {
        { "252 properties", WithProperties(EntityRules.MaxCustomProperties) },
        { "1601-01-01T00:00Z", Entity("At", EntityRules.MinDateTime) },
        { "a 255-character name", Entity("N" + new string('n', EntityRules.MaxPropertyNameLength - 1), 1) },
        { "identifier names with _ and letters of any script", new TableEntity("p", "r") { ["_x"] = 1, ["é1"] = 2, ["名前"] = 3 } },
        { "a string of 32K chars", Entity("Text", new string('x', EntityRules.MaxStringLength)) },
        { "a binary value of 64 KiB", Entity("Data", new byte[EntityRules.MaxBinaryLength]) },
        { "just under 1 MiB", WithStrings(31, EntityRules.MaxStringLength / 2) },
        { "every stored type", EveryType() },
    };

    [Theory]
    [MemberData(nameof(AzuriteWouldStore))]
    public async Task What_Azure_refuses_and_Azurite_would_store_is_refused_before_any_request(string what, TableEntity entity)
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAsync(entity));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertAsync(entity, TableUpdateMode.Replace));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync([new(TableTransactionActionType.UpsertMerge, entity)]));

        Assert.Equal(before, roundTrips.Total);
        await azurite.Unguarded(table).AddEntityAsync(entity);
        Assert.Single(await table.QueryAsync().ToListAsync());
        _ = what;
    }

    [Theory]
    [MemberData(nameof(AzuriteRefusesToo))]
    public async Task What_both_refuse_is_refused_before_any_request(string what, TableEntity entity)
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAsync(entity));

        Assert.Equal(before, roundTrips.Total);
        _ = what;
    }

    [Theory]
    [MemberData(nameof(AtTheLimits))]
    public async Task Entities_at_the_limits_are_stored(string what, TableEntity entity)
    {
        var table = await azurite.CreateTableAsync();

        Assert.True(await table.TryAddAsync(entity));

        var stored = await table.FindAsync(entity.PartitionKey, entity.RowKey);
        Assert.NotNull(stored);
        _ = what;
    }

    [Fact]
    public async Task A_decimal_would_come_back_as_a_double_which_is_why_it_is_refused()
    {
        var table = await azurite.CreateTableAsync();

        await azurite.Unguarded(table).AddEntityAsync(Entity("Depth", 1.5m));

        Assert.IsType<double>((await table.FindAsync("p", "r"))!["Depth"]);
    }

    [Fact]
    public void Size_follows_the_documented_formula()
    {
        // 4 + 2 × ("p" + "r") + (8 + 2 × "Address" + 4 + 2 × "Mountain View") + (8 + 2 × "Age" + 4) + (8 + 2 × "At" + 8).
        var entity = new TableEntity("p", "r") { ["Address"] = "Mountain View", ["Age"] = 23, ["At"] = DateTimeOffset.UnixEpoch };

        Assert.Equal(4 + 4 + (8 + 14 + 4 + 26) + (8 + 6 + 4) + (8 + 4 + 8), EntityRules.Size(entity));
    }

    [Fact]
    public void A_refusal_names_the_property_but_never_its_value()
    {
        const string phone = "+447700900123";
        var entity = Entity("ClientPhone", string.Concat(Enumerable.Repeat(phone, (EntityRules.MaxStringLength / phone.Length) + 1)));

        var ex = Assert.Throws<ArgumentException>(() => EntityRules.Validate(entity));

        Assert.Contains("ClientPhone", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("7700900123", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_values_and_system_properties_are_not_counted()
    {
        var entity = WithProperties(EntityRules.MaxCustomProperties);
        entity["Missing"] = null!;
        entity["Timestamp"] = DateTimeOffset.UnixEpoch;

        EntityRules.Validate(entity);
    }

    private static TableEntity Entity(string name, object value) => new("p", "r") { [name] = value };

    private static TableEntity WithProperties(int count)
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < count; i++)
        {
            entity[$"P{i:D3}"] = i;
        }

        return entity;
    }

    private static TableEntity WithStrings(int count, int length)
    {
        var entity = new TableEntity("p", "r");
        for (var i = 0; i < count; i++)
        {
            entity[$"S{i:D2}"] = new string('y', length);
        }

        return entity;
    }

    private static TableEntity EveryType() => new("p", "r")
    {
        ["Text"] = "é 中文 😀",
        ["Flag"] = true,
        ["Int"] = int.MinValue,
        ["Long"] = long.MaxValue,
        ["Double"] = 0.1,
        ["Id"] = Guid.NewGuid(),
        ["At"] = DateTimeOffset.MaxValue,
        ["AtUtc"] = DateTime.SpecifyKind(new DateTime(2026, 1, 1), DateTimeKind.Utc),
        ["Bytes"] = new byte[] { 0, 255 },
        ["Binary"] = new BinaryData(new byte[] { 1 }),
    };
}
