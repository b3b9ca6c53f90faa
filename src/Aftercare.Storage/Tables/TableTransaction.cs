using System.Globalization;
using System.Text;
using Azure;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The wire form of an entity-group transaction: a <c>multipart/mixed</c> batch holding one changeset of HTTP
/// requests, and the matching multipart response.
/// </summary>
internal static class TableTransaction
{
    public const int MaxActions = 100;

    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        if (actions.Count is 0 or > MaxActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxActions} actions, not {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0].Entity.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            ArgumentNullException.ThrowIfNull(action, nameof(actions));
            TableKeys.ValidateKeys(action.Entity.PartitionKey, action.Entity.RowKey);
            if (!string.Equals(action.Entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException("All actions of a transaction must share one PartitionKey.", nameof(actions));
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new ArgumentException("A transaction may touch each entity only once.", nameof(actions));
            }
        }
    }

    public static (string ContentType, byte[] Body) Serialize(string root, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        var batchBoundary = "batch_" + Guid.NewGuid().ToString("N");
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");

        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var entity = action.Entity;
            var entityUri = root + "/" + TableRequests.EntityPath(table, entity.PartitionKey, entity.RowKey);
            var (method, uri, ifMatch, hasBody) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", root + "/" + table, (string?)null, true),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUri, null, true),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUri, null, true),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUri, TableClient.IfMatchValue(action.ETag), true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUri, TableClient.IfMatchValue(action.ETag), true),
                TableTransactionActionType.Delete => ("DELETE", entityUri, TableClient.IfMatchValue(action.ETag), false),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "Unknown action type."),
            };

            body.Append("--").Append(changesetBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n")
                .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n")
                .Append(method).Append(' ').Append(uri).Append(" HTTP/1.1\r\n")
                .Append("Accept: ").Append(TableRequests.JsonMinimalMetadata).Append("\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is not null)
            {
                body.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (hasBody)
            {
                body.Append("Prefer: return-no-content\r\n")
                    .Append("Content-Type: application/json\r\n\r\n")
                    .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }

        body.Append("--").Append(changesetBoundary).Append("--\r\n")
            .Append("--").Append(batchBoundary).Append("--\r\n");
        return ("multipart/mixed; boundary=" + batchBoundary, Encoding.UTF8.GetBytes(body.ToString()));
    }

    /// <summary>The per-action results; a failed action (the service reports only that one) throws for the whole transaction.</summary>
    public static IReadOnlyList<TableTransactionResult> ParseResponse(Response response)
    {
        var text = response.Content.ToString();
        var results = new List<TableTransactionResult>();
        foreach (var part in SplitParts(text))
        {
            var statusLineStart = part.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
            if (statusLineStart < 0)
            {
                continue;
            }

            var lines = part[statusLineStart..].Split("\r\n");
            var status = int.Parse(lines[0].AsSpan(9, 3), CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var line = 1;
            for (; line < lines.Length && lines[line].Length > 0; line++)
            {
                var colon = lines[line].IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[lines[line][..colon].Trim()] = lines[line][(colon + 1)..].Trim();
                }
            }

            if (status >= 400)
            {
                var body = string.Join("\r\n", lines.Skip(line + 1));
                throw Failure(status, headers, body);
            }

            results.Add(new TableTransactionResult(status, headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : null));
        }

        return results;
    }

    private static TableTransactionFailedException Failure(int status, Dictionary<string, string> headers, string body)
    {
        var (code, message) = TableErrors.Parse(body.Trim());
        var index = TableErrors.FailedIndex(message);
        if (index is null && headers.TryGetValue("Content-ID", out var contentId) && int.TryParse(contentId, CultureInfo.InvariantCulture, out var id))
        {
            index = id - 1;
        }

        var where = index is { } i ? $" at action {i}" : string.Empty;
        return new TableTransactionFailedException(
            status, $"Transaction failed{where}: {status} {code} {TableErrors.FirstLine(message)}".TrimEnd(), code, index);
    }

    private static string[] SplitParts(string text)
    {
        // The changeset (or, for a malformed batch, the batch) boundary marks each inner HTTP response.
        var marker = text.IndexOf("boundary=changesetresponse_", StringComparison.Ordinal);
        string boundary;
        if (marker >= 0)
        {
            var start = marker + "boundary=".Length;
            var end = text.IndexOfAny(['\r', '\n', ';', ' '], start);
            boundary = "--" + text[start..(end < 0 ? text.Length : end)];
        }
        else
        {
            boundary = "--batchresponse_";
        }

        return text.Split(boundary, StringSplitOptions.RemoveEmptyEntries);
    }
}
