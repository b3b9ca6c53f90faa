using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Aftercare.Storage;

/// <summary>
/// A new treatment's index rows (<see cref="DueEntities"/>, <see cref="RetentionRows"/> and its registration mark,
/// RowKey "registered|{clinic}|{treatment}", kept as long as the treatment row), all in its shard of the due-index
/// table among <paramref name="options"/>' shards (16 when none are given), so they go in one entity-group transaction.
/// The mark's RowKey sorts after every due entry's and outside the retention rows' ranges, so neither reader meets it.
/// </summary>
public sealed class TableTreatmentIndex(AftercareTables tables, DispatchOptions? options = null) : ITreatmentIndex
{
    /// <summary>What the registration mark's RowKey starts with.</summary>
    public const string MarkPrefix = "registered|";

    private readonly int _shards = options?.Shards ?? DispatchShards.DefaultCount;

    /// <summary>
    /// One round trip: the mark's insert and the rows' upserts in one transaction (for more than 98 due entries, one more
    /// upsert transaction per 100 rows after it). A mark that exists already fails the first transaction, writing nothing.
    /// </summary>
    public async Task<bool> TryAddAsync(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention, CancellationToken cancellationToken)
    {
        var rows = Rows(dueEntries, retention);
        var mark = new TableEntity(rows[0].PartitionKey, MarkPrefix + retention.ClinicId + "|" + retention.TreatmentId);
        var batches = rows.Chunk(TransactionRules.MaxActions - 1).ToList();
        try
        {
            await tables.DueIndex.SubmitAsync([new(TableTransactionActionType.Add, mark), .. Upserts(batches[0])], cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return false;
        }

        foreach (var batch in batches.Skip(1))
        {
            await tables.DueIndex.SubmitAsync(Upserts(batch), cancellationToken);
        }

        return true;
    }

    /// <summary>One round trip: an upsert transaction (one per 100 rows). Re-adding changes nothing.</summary>
    public async Task AddAsync(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention, CancellationToken cancellationToken)
    {
        foreach (var batch in Rows(dueEntries, retention).Chunk(TransactionRules.MaxActions))
        {
            await tables.DueIndex.SubmitAsync(Upserts(batch), cancellationToken);
        }
    }

    private List<TableEntity> Rows(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention)
    {
        ArgumentNullException.ThrowIfNull(dueEntries);
        ArgumentNullException.ThrowIfNull(retention);
        if (dueEntries.Any(e => e.TreatmentId != retention.TreatmentId || e.ClinicId != retention.ClinicId))
        {
            throw new ArgumentException("Every due entry must belong to the retention entry's treatment.", nameof(dueEntries));
        }

        return [.. dueEntries
            .Select(e => DueEntities.ToEntity(e, _shards))
            .Append(RetentionRows.ToEntity(retention, _shards))
            .DistinctBy(e => e.RowKey, StringComparer.Ordinal)];
    }

    private static List<TableTransactionAction> Upserts(IEnumerable<TableEntity> rows) =>
        [.. rows.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))];
}
