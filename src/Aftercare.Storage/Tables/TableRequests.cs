using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aftercare.Storage.Tables;

/// <summary>Builds and sends Table service requests: URLs with escaped keys, the OData headers, typed failures.</summary>
internal sealed class TableRequests(HttpPipeline pipeline, Uri endpoint)
{
    public const string JsonMinimalMetadata = "application/json;odata=minimalmetadata";
    public static readonly RequestMethod Merge = new("MERGE");

    private readonly string _root = endpoint.AbsoluteUri.TrimEnd('/');

    public string Root => _root;

    public Uri TablesUri() => new(_root + "/Tables");

    public Uri TableUri(string table) => new(_root + "/Tables('" + table + "')");

    public Uri EntitySetUri(string table) => new(_root + "/" + table);

    public Uri BatchUri() => new(_root + "/$batch");

    public Uri EntityUri(string table, string partitionKey, string rowKey)
    {
        TableKeys.ValidateKeys(partitionKey, rowKey);
        return new Uri(_root + "/" + EntityPath(table, partitionKey, rowKey));
    }

    /// <summary>Quotes in keys are doubled (OData), then everything but unreserved characters is percent-encoded.</summary>
    public static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{table}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.SetValue("x-ms-version", TableClientOptions.ServiceVersion);
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.SetValue(HttpHeader.Names.Accept, JsonMinimalMetadata);
        return message;
    }

    public static void SetJsonBody(Request request, byte[] body)
    {
        request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        request.Content = RequestContent.Create(body);
    }

    /// <summary>Sends and returns the response; a status outside <paramref name="expected"/> becomes a typed exception.</summary>
    public async Task<Response> SendAsync(HttpMessage message, string operation, CancellationToken cancellationToken, params int[] expected)
    {
        await pipeline.SendAsync(message, cancellationToken);
        var response = message.Response;
        if (Array.IndexOf(expected, response.Status) < 0)
        {
            throw TableErrors.FromResponse(response, operation);
        }

        return response;
    }

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
