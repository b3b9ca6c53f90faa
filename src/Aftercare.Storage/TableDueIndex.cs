using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>The due-time index (layout in <see cref="DueEntities"/>). Reading costs what is due, not history.</summary>
public sealed class TableDueIndex(AftercareTables tables) : IDueIndex
{
    /// <summary>Upserts, one transaction per partition (due minute) and 100 rows; re-adding an entry changes nothing.</summary>
    public async Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var batches = entries
            .Select(DueEntities.ToEntity)
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.DistinctBy(e => e.RowKey, StringComparer.Ordinal).Chunk(TableTransaction.MaxActions));
        foreach (var batch in batches)
        {
            if (batch.Length == 1)
            {
                await tables.DueIndex.UpsertEntityAsync(batch[0], TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await tables.DueIndex.SubmitTransactionAsync(
                    batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var due = new List<DueEntry>(Math.Min(limit, 1000));
        var filter = TableFilter.Create($"PartitionKey le {DueEntities.PartitionKey(now)}");
        await foreach (var row in tables.DueIndex.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            var entry = DueEntities.ToEntry(row);

            // Rows come in due order and only the current minute can hold later ones: the first of those ends the read.
            if (entry.DueAt > now || due.Count == limit)
            {
                break;
            }

            due.Add(entry);
        }

        return due;
    }

    public async Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            await tables.DueIndex.DeleteEntityAsync(DueEntities.PartitionKey(entry.DueAt), DueEntities.RowKey(entry), cancellationToken: cancellationToken);
        }
        catch (TableNotFoundException)
        {
            // Removed already (another dispatcher, or a retry): the goal is met.
        }
    }
}
