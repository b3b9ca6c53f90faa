using System.Text.Json;
using Azure;
using Azure.Core;

namespace Aftercare.Storage.Tables;

/// <summary>
/// Query results page by page. The continuation token is the service's NextPartitionKey and NextRowKey joined
/// by a space (the service's tokens contain none), so a caller can resume a query from any page.
/// </summary>
internal sealed class TableQueryPageable(
    TableRequests requests, string table, string? filter, string[]? select, int? maxPerPage, CancellationToken cancellationToken)
    : AsyncPageable<TableEntity>(cancellationToken)
{
    private const string NextPartitionKeyHeader = "x-ms-continuation-NextPartitionKey";
    private const string NextRowKeyHeader = "x-ms-continuation-NextRowKey";

    public override async IAsyncEnumerable<Page<TableEntity>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var token = continuationToken;
        do
        {
            var page = await GetPageAsync(token, pageSizeHint ?? maxPerPage, CancellationToken);
            yield return page;
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    private async Task<Page<TableEntity>> GetPageAsync(string? continuationToken, int? top, CancellationToken cancellationToken)
    {
        using var message = requests.CreateMessage(RequestMethod.Get, requests.EntitySetUri(table + "()"));
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, escapeValue: true);
        }

        if (select is { Length: > 0 })
        {
            uri.AppendQuery("$select", string.Join(',', select), escapeValue: true);
        }

        if (top is { } t)
        {
            uri.AppendQuery("$top", t.ToString(System.Globalization.CultureInfo.InvariantCulture), escapeValue: false);
        }

        if (continuationToken is not null)
        {
            var space = continuationToken.IndexOf(' ', StringComparison.Ordinal);
            var nextPartitionKey = space < 0 ? continuationToken : continuationToken[..space];
            uri.AppendQuery("NextPartitionKey", nextPartitionKey, escapeValue: true);
            if (space >= 0 && space < continuationToken.Length - 1)
            {
                uri.AppendQuery("NextRowKey", continuationToken[(space + 1)..], escapeValue: true);
            }
        }

        var response = await requests.SendAsync(message, "Query entities", cancellationToken, 200);
        var entities = ReadEntities(response);
        return Page<TableEntity>.FromValues(entities, NextToken(response), response);
    }

    private static List<TableEntity> ReadEntities(Response response)
    {
        using var json = JsonDocument.Parse(response.Content);
        var entities = new List<TableEntity>();
        foreach (var item in json.RootElement.GetProperty("value").EnumerateArray())
        {
            entities.Add(TableEntityJson.Read(item));
        }

        return entities;
    }

    private static string? NextToken(Response response)
    {
        if (!response.Headers.TryGetValue(NextPartitionKeyHeader, out var nextPartitionKey) || string.IsNullOrEmpty(nextPartitionKey))
        {
            return null;
        }

        return response.Headers.TryGetValue(NextRowKeyHeader, out var nextRowKey) && !string.IsNullOrEmpty(nextRowKey)
            ? nextPartitionKey + " " + nextRowKey
            : nextPartitionKey;
    }
}
