using System.Net;
using Aftercare.Storage.Tables;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tests.Tables;

/// <summary>An HTTP handler that records every request and answers with a canned status, for tests that must see the wire.</summary>
internal sealed class RecordingHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
{
    public List<HttpRequestMessage> Requests { get; } = [];

    public static (TableServiceClient Client, RecordingHandler Handler) CreateClient(TimeProvider? time = null)
    {
        var handler = new RecordingHandler();
        var options = handler.Options(time);
        options.Retry.MaxRetries = 0;
        var client = new TableServiceClient(
            new Uri("http://127.0.0.1:10002/devstoreaccount1"),
            new TableSharedKeyCredential(TableConnectionString.DevelopmentAccountName, TableConnectionString.DevelopmentAccountKey),
            options);
        return (client, handler);
    }

    public TableClientOptions Options(TimeProvider? time = null) => new()
    {
        Transport = new HttpClientTransport(new HttpClient(this)),
        TimeProvider = time ?? TimeProvider.System,
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);

        // Answers with the given statuses in turn, then keeps answering with the last (204 when none were given).
        var status = statuses.Length == 0 ? HttpStatusCode.NoContent : statuses[Math.Min(Requests.Count, statuses.Length) - 1];
        return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }
}

internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
