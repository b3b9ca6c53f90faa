using System.Net;
using Aftercare.Storage.Tables;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tests.Tables;

/// <summary>An HTTP handler that records every request and answers with a canned status, for tests that must see the wire.</summary>
internal sealed class RecordingHandler(HttpStatusCode status = HttpStatusCode.NoContent) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    public static (TableServiceClient Client, RecordingHandler Handler) CreateClient(TimeProvider? time = null)
    {
        var handler = new RecordingHandler();
        var options = new TableClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(handler)),
            TimeProvider = time ?? TimeProvider.System,
        };
        options.Retry.MaxRetries = 0;
        var client = new TableServiceClient(
            new Uri("http://127.0.0.1:10002/devstoreaccount1"),
            new TableSharedKeyCredential(TableConnectionString.DevelopmentAccountName, TableConnectionString.DevelopmentAccountKey),
            options);
        return (client, handler);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }
}

internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
