using System.Net;
using Aftercare.Storage.Tables;
using Azure.Core;

namespace Aftercare.Storage.Tests.Tables;

public sealed class TablePipelineTests
{
    [Fact]
    public async Task Transient_failures_are_retried_and_each_attempt_is_dated_and_signed_afresh()
    {
        var time = new SteppingTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), TimeSpan.FromSeconds(1));
        var handler = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.NoContent);
        var options = handler.Options(time);
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(1);
        var client = new TableServiceClient(
            new Uri("http://127.0.0.1:10002/devstoreaccount1"),
            new TableSharedKeyCredential(TableConnectionString.DevelopmentAccountName, TableConnectionString.DevelopmentAccountKey),
            options);

        await client.GetTableClient("people").DeleteEntityAsync("p", "r");

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, handler.Requests.Select(r => r.Headers.GetValues("x-ms-date").Single()).Distinct().Count());
        Assert.Equal(3, handler.Requests.Select(r => r.Headers.Authorization!.ToString()).Distinct().Count());
    }

    [Fact]
    public async Task A_token_credential_sends_a_bearer_token_for_the_storage_scope()
    {
        var handler = new RecordingHandler();
        var credential = new RecordingCredential();
        var client = new TableServiceClient(new Uri("https://acct.table.core.windows.net/"), credential, handler.Options());

        await client.GetTableClient("people").DeleteEntityAsync("p", "r");

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-1", request.Headers.Authorization!.ToString());
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        Assert.Equal("https://acct.table.core.windows.net/people(PartitionKey='p',RowKey='r')", request.RequestUri!.ToString());
        Assert.True(request.Headers.Contains("x-ms-date"));
    }

    [Fact]
    public async Task A_failure_without_a_json_body_still_throws_the_typed_exception()
    {
        var handler = new RecordingHandler(HttpStatusCode.PreconditionFailed);
        var options = handler.Options();
        var client = new TableServiceClient(
            new Uri("http://127.0.0.1:10002/devstoreaccount1"),
            new TableSharedKeyCredential(TableConnectionString.DevelopmentAccountName, TableConnectionString.DevelopmentAccountKey),
            options);

        var ex = await Assert.ThrowsAsync<TablePreconditionFailedException>(() => client.GetTableClient("people").DeleteEntityAsync("p", "r"));
        Assert.Equal(412, ex.Status);
    }

    private sealed class SteppingTimeProvider(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _now;
            _now += step;
            return now;
        }
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("token-1", DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
