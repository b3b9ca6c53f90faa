using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Aftercare.Storage.Tables;

/// <summary>
/// One of Aftercare's tables: an Azure.Data.Tables <see cref="TableClient"/> with the checks the SDK does not make run
/// before any request (<see cref="TableKeys"/>, <see cref="EntityRules"/>, <see cref="TransactionRules"/>; they throw
/// <see cref="ArgumentException"/>), and the one place where the service's refusals become outcomes: an entity that
/// exists already (409 EntityAlreadyExists) is <c>false</c>, a stale or vanished entity on a conditional replace (412
/// UpdateConditionNotSatisfied, 404 ResourceNotFound) is <c>null</c>, a delete of an absent entity is done. Every other
/// failure propagates as the SDK's <see cref="RequestFailedException"/> or <see cref="TableTransactionFailedException"/>.
/// </summary>
public sealed class AftercareTable
{
    private readonly TableClient _client;

    /// <summary>Wraps <paramref name="client"/>; its name must be a valid table name (<see cref="TableNames"/>).</summary>
    public AftercareTable(TableClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        TableNames.Validate(client.Name, nameof(client));
        _client = client;
    }

    public string Name => _client.Name;

    /// <summary>Creates the table unless it exists; one round trip.</summary>
    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        _client.CreateIfNotExistsAsync(cancellationToken);

    /// <summary>
    /// Reads one entity (a point read, one round trip), or null when it is absent. Keys no entity can have
    /// (<see cref="TableKeys.IsValid"/>) find nothing without a request: a look-up key often comes from outside. A
    /// missing table throws <see cref="RequestFailedException"/> (404 TableNotFound), which the SDK's
    /// GetEntityIfExistsAsync would report as a missing entity.
    /// </summary>
    /// <param name="select">The properties to read; null reads them all.</param>
    public async Task<TableEntity?> FindAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        if (!TableKeys.IsValid(partitionKey) || !TableKeys.IsValid(rowKey))
        {
            return null;
        }

        var response = await _client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken);
        if (response.HasValue)
        {
            return response.Value;
        }

        var raw = response.GetRawResponse();
        return raw.Headers.TryGetValue("x-ms-error-code", out var code) && code == TableErrorCode.TableNotFound
            ? throw new RequestFailedException(raw)
            : null;
    }

    /// <summary>
    /// The entities matching <paramref name="filter"/>, page by page (one round trip each). Build filters with
    /// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>, which quotes and escapes every interpolated value.
    /// </summary>
    /// <param name="maxPerPage">1 to 1000 entities a page; null lets the service choose (at most 1000).</param>
    public AsyncPageable<TableEntity> QueryAsync(
        string? filter = null, int? maxPerPage = null, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        _client.QueryAsync<TableEntity>(filter, maxPerPage, select, cancellationToken);

    /// <summary>Inserts the entity; false, with nothing written, when it exists already.</summary>
    public async Task<bool> TryAddAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        EntityRules.Validate(entity);
        try
        {
            await _client.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (IsAlreadyExists(ex))
        {
            return false;
        }
    }

    /// <summary>Inserts or, if it exists, replaces or merges the entity, unconditionally.</summary>
    public async Task UpsertAsync(TableEntity entity, TableUpdateMode mode, CancellationToken cancellationToken = default)
    {
        EntityRules.Validate(entity);
        await _client.UpsertEntityAsync(entity, mode, cancellationToken);
    }

    /// <summary>
    /// Replaces the entity if its ETag is still <paramref name="ifMatch"/>, returning the new ETag; null when it changed
    /// (412 UpdateConditionNotSatisfied) or is gone (404 ResourceNotFound): either way someone else changed it first.
    /// </summary>
    public async Task<ETag?> TryReplaceAsync(TableEntity entity, ETag ifMatch, CancellationToken cancellationToken = default)
    {
        EntityRules.Validate(entity);
        if (ifMatch == default)
        {
            throw new ArgumentException("A conditional replace needs the ETag it was read with.", nameof(ifMatch));
        }

        try
        {
            var response = await _client.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (IsConditionNotMet(ex) || IsEntityGone(ex))
        {
            return null;
        }
    }

    /// <summary>Deletes the entity, whatever its version. An absent entity is not an error (the SDK takes the 404 as done).</summary>
    public async Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        TableKeys.ValidateKeys(partitionKey, rowKey);
        await _client.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
    }

    /// <summary>Deletes the entity if its ETag is still <paramref name="ifMatch"/>; false when it changed or is gone (someone else changed it first).</summary>
    public async Task<bool> TryDeleteAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken = default)
    {
        TableKeys.ValidateKeys(partitionKey, rowKey);
        if (ifMatch == default)
        {
            throw new ArgumentException("A conditional delete needs the ETag it was read with.", nameof(ifMatch));
        }

        try
        {
            await _client.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (IsConditionNotMet(ex))
        {
            return false;
        }
    }

    /// <summary>
    /// Commits the actions atomically in one round trip. A refused action fails the whole transaction, nothing is written,
    /// and <see cref="TableTransactionFailedException.FailedTransactionActionIndex"/> says which action (zero-based).
    /// </summary>
    public async Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        TransactionRules.Validate(actions, _client.Uri);
        await _client.SubmitTransactionAsync(actions, cancellationToken);
    }

    /// <summary>
    /// Inserts every entity in one transaction (one partition, at most 100); false, with nothing written, when any of
    /// them exists already, whichever action the service names.
    /// </summary>
    public async Task<bool> TryAddAllAsync(IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        try
        {
            await SubmitAsync([.. entities.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e))], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (IsAlreadyExists(ex))
        {
            return false;
        }
    }

    /// <summary>
    /// Commits a transaction of ETag-conditional updates (each action carries the ETag it was read with) and returns each
    /// entity's new ETag, in the order of <paramref name="actions"/>; null, with nothing written, when any entity changed
    /// or vanished first (412 UpdateConditionNotSatisfied, 404 ResourceNotFound).
    /// </summary>
    public async Task<IReadOnlyList<ETag>?> TrySubmitConditionalAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Any(a => a.ETag == default || a.ETag == ETag.All))
        {
            throw new ArgumentException("Every action of a conditional transaction needs the ETag its entity was read with.", nameof(actions));
        }

        try
        {
            TransactionRules.Validate(actions, _client.Uri);
            var response = await _client.SubmitTransactionAsync(actions, cancellationToken);
            return [.. response.Value.Select(r => r.Headers.ETag ?? default)];
        }
        catch (TableTransactionFailedException ex) when (IsConditionNotMet(ex) || IsEntityGone(ex))
        {
            return null;
        }
    }

    /// <summary>
    /// Commits the actions atomically; false, with nothing written, when an action's entity was gone (404
    /// ResourceNotFound), such as a delete of a row someone else deleted first.
    /// </summary>
    public async Task<bool> TrySubmitUnlessGoneAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        try
        {
            await SubmitAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (IsEntityGone(ex))
        {
            return false;
        }
    }

    private static bool IsAlreadyExists(RequestFailedException ex) =>
        ex.Status == 409 && ex.ErrorCode == TableErrorCode.EntityAlreadyExists;

    private static bool IsConditionNotMet(RequestFailedException ex) =>
        ex.Status == 412 && ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied;

    // ResourceNotFound, not TableNotFound: a missing table is a fault, not a lost race.
    private static bool IsEntityGone(RequestFailedException ex) =>
        ex.Status == 404 && ex.ErrorCode == TableErrorCode.ResourceNotFound;
}
