using System.Security.Cryptography;
using System.Text;
using Aftercare.Storage.Tables;

namespace Aftercare.Storage.Tests.Tables;

public sealed class SharedKeySigningTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task Requests_carry_a_SharedKeyLite_signature_over_date_and_path_style_resource()
    {
        var (client, handler) = RecordingHandler.CreateClient(new FixedTimeProvider(Now));

        await client.GetTableClient("people").DeleteEntityAsync("it's", "é 1");

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Fri, 02 Jan 2026 03:04:05 GMT", Assert.Single(request.Headers.GetValues("x-ms-date")));
        Assert.Equal("2019-02-02", Assert.Single(request.Headers.GetValues("x-ms-version")));
        Assert.Equal("/devstoreaccount1/people(PartitionKey='it%27%27s',RowKey='%C3%A9%201')", request.RequestUri!.AbsolutePath);

        // Computed here from the documented string-to-sign, independently of the policy.
        const string stringToSign =
            "Fri, 02 Jan 2026 03:04:05 GMT\n/devstoreaccount1/devstoreaccount1/people(PartitionKey='it%27%27s',RowKey='%C3%A9%201')";
        var key = Convert.FromBase64String(TableConnectionString.DevelopmentAccountKey);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        Assert.Equal($"SharedKeyLite devstoreaccount1:{expected}", request.Headers.Authorization!.ToString());
    }

    [Fact]
    public void Known_vector_for_a_host_style_url_with_comp()
    {
        var toSign = TableSharedKeyPolicy.BuildStringToSign(
            "myaccount", "Fri, 02 Jan 2026 03:04:05 GMT", new Uri("https://myaccount.table.core.windows.net/mytable?comp=acl&x=1"));

        Assert.Equal("Fri, 02 Jan 2026 03:04:05 GMT\n/myaccount/mytable?comp=acl", toSign);
        var credential = new TableSharedKeyCredential("myaccount", Convert.ToBase64String(Encoding.UTF8.GetBytes("secret-key")));
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret-key"), Encoding.UTF8.GetBytes(toSign)));
        Assert.Equal(expected, credential.ComputeSignature(toSign));
    }

    [Fact]
    public void A_key_that_is_not_base64_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new TableSharedKeyCredential("a", "not base64!"));
    }
}
