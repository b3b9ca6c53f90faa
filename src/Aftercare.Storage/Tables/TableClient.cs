using System.Text.Json;
using Azure;
using Azure.Core;

namespace Aftercare.Storage.Tables;

/// <summary>
/// One table: entity CRUD, conditional updates by ETag, queries that follow continuation tokens, and entity-group
/// transactions. Failures throw <see cref="TableNotFoundException"/> (404), <see cref="TableConflictException"/> (409),
/// <see cref="TablePreconditionFailedException"/> (412) or <see cref="RequestFailedException"/>; keys are validated
/// before any request.
/// </summary>
public class TableClient
{
    private readonly TableRequests _requests = null!;

    internal TableClient(TableRequests requests, string name)
    {
        _requests = requests;
        Name = name;
    }

    /// <summary>For mocking.</summary>
    protected TableClient()
    {
        Name = null!;
    }

    public string Name { get; }

    /// <summary>Creates the table; an existing table is not an error (its 409 response is returned).</summary>
    public virtual async Task<Response> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _requests.CreateMessage(RequestMethod.Post, _requests.TablesUri());
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableRequests.SetJsonBody(message.Request, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        try
        {
            return await _requests.SendAsync(message, "Create table", cancellationToken, 201, 204);
        }
        catch (TableConflictException ex) when (ex.ErrorCode == "TableAlreadyExists")
        {
            return message.Response;
        }
    }

    public virtual async Task<Response> DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = _requests.CreateMessage(RequestMethod.Delete, _requests.TableUri(Name));
        return await _requests.SendAsync(message, "Delete table", cancellationToken, 204);
    }

    /// <summary>Reads one entity. A missing entity throws <see cref="TableNotFoundException"/>.</summary>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? columns = null, CancellationToken cancellationToken = default)
    {
        using var message = _requests.CreateMessage(RequestMethod.Get, _requests.EntityUri(Name, partitionKey, rowKey));
        AppendSelect(message.Request, columns);
        var response = await _requests.SendAsync(message, "Get entity", cancellationToken, 200);
        using var json = JsonDocument.Parse(response.Content);
        var entity = TableEntityJson.Read(json.RootElement);
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }

        return Response.FromValue(entity, response);
    }

    /// <summary>Inserts; an existing entity throws <see cref="TableConflictException"/> (EntityAlreadyExists). The new ETag is in the response headers.</summary>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.ValidateKeys(entity.PartitionKey, entity.RowKey);
        using var message = _requests.CreateMessage(RequestMethod.Post, _requests.EntitySetUri(Name));
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        TableRequests.SetJsonBody(message.Request, TableEntityJson.Serialize(entity));
        return await _requests.SendAsync(message, "Add entity", cancellationToken, 204);
    }

    /// <summary>Inserts or, if it exists, replaces or merges the entity, unconditionally.</summary>
    public virtual Task<Response> UpsertEntityAsync(
        TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteAsync(entity, ifMatch: null, mode, "Upsert entity", cancellationToken);

    /// <summary>Replaces or merges an existing entity if its ETag is still <paramref name="ifMatch"/> (use <see cref="ETag.All"/> for any).</summary>
    public virtual Task<Response> UpdateEntityAsync(
        TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs an ETag; pass ETag.All to update unconditionally.", nameof(ifMatch));
        }

        return WriteAsync(entity, ifMatch, mode, "Update entity", cancellationToken);
    }

    /// <summary>Deletes if the ETag matches (default: any). A missing entity throws <see cref="TableNotFoundException"/>, which callers may ignore.</summary>
    public virtual async Task<Response> DeleteEntityAsync(
        string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        using var message = _requests.CreateMessage(RequestMethod.Delete, _requests.EntityUri(Name, partitionKey, rowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, IfMatchValue(ifMatch));
        return await _requests.SendAsync(message, "Delete entity", cancellationToken, 204);
    }

    /// <summary>
    /// All entities matching <paramref name="filter"/> (build it with <see cref="TableFilter.Create"/>), page by page,
    /// following the service's continuation headers.
    /// </summary>
    public virtual AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, IEnumerable<string>? columns = null, int? maxPerPage = null, CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, "A page holds 1 to 1000 entities.");
        }

        return new TableQueryPageable(_requests, Name, filter, columns?.ToArray(), maxPerPage, cancellationToken);
    }

    /// <summary>
    /// Commits up to 100 actions on one partition atomically. If any fails, nothing is written and
    /// <see cref="TableTransactionFailedException"/> says which action (zero-based) and why.
    /// </summary>
    public virtual async Task<Response<IReadOnlyList<TableTransactionResult>>> SubmitTransactionAsync(
        IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var list = actions.ToList();
        TableTransaction.Validate(list);
        var batch = TableTransaction.Serialize(_requests.Root, Name, list);
        using var message = _requests.CreateMessage(RequestMethod.Post, _requests.BatchUri());
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, batch.ContentType);
        message.Request.Content = RequestContent.Create(batch.Body);
        var response = await _requests.SendAsync(message, "Transaction", cancellationToken, 202);
        var results = TableTransaction.ParseResponse(response);
        return Response.FromValue(results, response);
    }

    internal static string IfMatchValue(ETag ifMatch) => ifMatch == default ? "*" : ifMatch.ToString("H");

    private async Task<Response> WriteAsync(TableEntity entity, ETag? ifMatch, TableUpdateMode mode, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var method = mode == TableUpdateMode.Replace ? RequestMethod.Put : TableRequests.Merge;
        using var message = _requests.CreateMessage(method, _requests.EntityUri(Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, IfMatchValue(etag));
        }

        TableRequests.SetJsonBody(message.Request, TableEntityJson.Serialize(entity));
        return await _requests.SendAsync(message, operation, cancellationToken, 204);
    }

    private static void AppendSelect(Request request, IEnumerable<string>? columns)
    {
        var names = columns?.ToArray();
        if (names is { Length: > 0 })
        {
            request.Uri.AppendQuery("$select", string.Join(',', names), escapeValue: true);
        }
    }
}
