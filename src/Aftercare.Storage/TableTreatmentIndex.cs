using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// A new treatment's index rows (<see cref="DueEntities"/> and <see cref="RetentionRows"/>), all in its shard of the
/// due-index table among <paramref name="options"/>' shards (16 when none are given), so they go in one entity-group
/// transaction.
/// </summary>
public sealed class TableTreatmentIndex(AftercareTables tables, DispatchOptions? options = null) : ITreatmentIndex
{
    private readonly int _shards = options?.Shards ?? DispatchShards.DefaultCount;

    /// <summary>
    /// One round trip: an upsert transaction (for more than 99 due entries, one per 100 rows). Re-adding changes nothing.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dueEntries);
        ArgumentNullException.ThrowIfNull(retention);
        if (dueEntries.Any(e => e.TreatmentId != retention.TreatmentId || e.ClinicId != retention.ClinicId))
        {
            throw new ArgumentException("Every due entry must belong to the retention entry's treatment.", nameof(dueEntries));
        }

        var rows = dueEntries
            .Select(e => DueEntities.ToEntity(e, _shards))
            .Append(RetentionRows.ToEntity(retention, _shards))
            .DistinctBy(e => e.RowKey, StringComparer.Ordinal);
        foreach (var batch in rows.Chunk(TransactionRules.MaxActions))
        {
            await tables.DueIndex.SubmitAsync(
                [.. batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))], cancellationToken);
        }
    }
}
