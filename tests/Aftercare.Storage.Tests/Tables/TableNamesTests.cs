using Aftercare.Storage.Tables;
using Aftercare.Testing;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TableNamesTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("ab-cd")]
    [InlineData("abc\n")]
    [InlineData("tables")]
    [InlineData("Tables")]
    [InlineData("abcdefghij0123456789abcdefghij0123456789abcdefghij0123456789abcd")]
    public void Invalid_names_are_refused(string name)
    {
        Assert.False(TableNames.IsValid(name));
        Assert.Throws<ArgumentException>(() => new AftercareTable(azurite.CreateServiceClient().GetTableClient(name)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("aftercareclinics")]
    [InlineData("T0123456789abcdefghij0123456789abcdefghij0123456789abcdefghij01")]
    public void Valid_names_are_accepted(string name)
    {
        Assert.True(TableNames.IsValid(name));
        Assert.Equal(name, new AftercareTable(azurite.CreateServiceClient().GetTableClient(name)).Name);
    }

    [Theory]
    [InlineData("after-care")]
    [InlineData("9")]
    [InlineData("x\n")]
    public void A_bad_prefix_stops_the_tables_before_any_request(string prefix)
    {
        var roundTrips = new TableRoundTrips();

        var ex = Assert.Throws<ArgumentException>(() => new AftercareTables(azurite.CreateServiceClient(roundTrips), prefix));

        Assert.Equal("prefix", ex.ParamName);
        Assert.Equal(0, roundTrips.Total);
    }
}
