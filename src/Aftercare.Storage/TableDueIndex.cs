using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>The due-time index (layout in <see cref="DueEntities"/>). Reading costs what is due, not history.</summary>
public sealed class TableDueIndex(AftercareTables tables) : IDueIndex
{
    /// <summary>
    /// Upserts: one round trip per due minute (a partition) and 100 entries, a single entry as a plain upsert, more as a
    /// transaction. Re-adding an entry changes nothing.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var batches = entries
            .Select(DueEntities.ToEntity)
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.DistinctBy(e => e.RowKey, StringComparer.Ordinal).Chunk(TransactionRules.MaxActions));
        foreach (var batch in batches)
        {
            if (batch.Length == 1)
            {
                await tables.DueIndex.UpsertAsync(batch[0], TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await tables.DueIndex.SubmitAsync(
                    [.. batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))], cancellationToken);
            }
        }
    }

    /// <summary>
    /// Entries due at or before <paramref name="now"/>, earliest first: one query over the partitions up to this minute,
    /// one round trip per page of up to <paramref name="limit"/> (at most 1000) entries.
    /// </summary>
    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var due = new List<DueEntry>(Math.Min(limit, 1000));
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {DueEntities.PartitionKey(now)}");
        await foreach (var row in tables.DueIndex.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            var entry = DueEntities.ToEntry(row);

            // Rows come in due order and only the current minute can hold later ones: the first of those ends the read.
            if (entry.DueAt > now)
            {
                break;
            }

            due.Add(entry);
            if (due.Count == limit)
            {
                break; // Before the next page is fetched.
            }
        }

        return due;
    }

    /// <summary>One round trip; removing an entry that is gone already (another dispatcher, or a retry) is done.</summary>
    public async Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await tables.DueIndex.DeleteAsync(DueEntities.PartitionKey(entry.DueAt), DueEntities.RowKey(entry), cancellationToken);
    }
}
