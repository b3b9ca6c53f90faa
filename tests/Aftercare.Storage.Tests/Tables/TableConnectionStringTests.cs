using Aftercare.Storage.Tables;

namespace Aftercare.Storage.Tests.Tables;

public sealed class TableConnectionStringTests
{
    [Fact]
    public void Development_storage_points_at_Azurite_defaults()
    {
        var parsed = TableConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void Explicit_table_endpoint_is_used_as_given()
    {
        var parsed = TableConnectionString.Parse(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + TableConnectionString.DevelopmentAccountKey +
            ";TableEndpoint=http://127.0.0.1:54321/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:54321/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.Credential.AccountName);
    }

    [Fact]
    public void Azure_form_builds_the_table_host_from_account_and_suffix()
    {
        var parsed = TableConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=clinicdata;AccountKey=a2V5;EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://clinicdata.table.core.windows.net"), parsed.TableEndpoint);
        Assert.Equal("clinicdata", parsed.Credential.AccountName);
    }

    [Fact]
    public void Azure_form_defaults_to_https_and_the_public_cloud()
    {
        var parsed = TableConnectionString.Parse("AccountName=x1;AccountKey=a2V5");
        Assert.Equal(new Uri("https://x1.table.core.windows.net"), parsed.TableEndpoint);
    }

    [Theory]
    [InlineData("AccountName=x")]
    [InlineData("AccountKey=a2V5")]
    [InlineData("garbage")]
    [InlineData("AccountName=x;AccountKey=not base64!")]
    [InlineData("AccountName=x;AccountKey=a2V5;TableEndpoint=not a url")]
    [InlineData("AccountName=x;AccountKey=a2V5;DefaultEndpointsProtocol=ftp")]
    [InlineData("UseDevelopmentStorage=false")]
    [InlineData("AccountName=x;AccountName=y;AccountKey=a2V5")]
    public void Malformed_strings_fail_with_a_clear_error(string connectionString)
    {
        var ex = Assert.Throws<FormatException>(() => TableConnectionString.Parse(connectionString));
        Assert.StartsWith("The storage connection string is not valid:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_string_does_not_echo_the_key()
    {
        // A made-up key, assembled so that it does not read as a committed secret.
        var key = string.Concat(Enumerable.Repeat("c2VjcmV0", 4));
        var ex = Assert.Throws<FormatException>(() => TableConnectionString.Parse($"AccountName=x;AccountKey={key};broken"));
        Assert.DoesNotContain("c2VjcmV0", ex.Message, StringComparison.Ordinal);
    }
}
