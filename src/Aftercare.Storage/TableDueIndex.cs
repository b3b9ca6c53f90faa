using System.Globalization;
using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// The due-time index (layout in <see cref="DueEntities"/>), in <paramref name="options"/>' shards (16 when none are
/// given). Reading costs what is due, not history. Rows of the legacy per-minute layout are moved to their shard when
/// read, so an existing deployment drains them.
/// </summary>
public sealed class TableDueIndex(AftercareTables tables, DispatchOptions? options = null) : IDueIndex
{
    private readonly int _shards = options?.Shards ?? DispatchShards.DefaultCount;

    /// <summary>
    /// Upserts: one round trip per shard (a partition) and 100 entries, a single entry as a plain upsert, more as a
    /// transaction. Re-adding an entry changes nothing.
    /// </summary>
    public async Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var batches = entries
            .Select(e => DueEntities.ToEntity(e, _shards))
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
    /// Entries due at or before <paramref name="now"/>, earliest first: one query over the legacy minute partitions up to
    /// this minute and the shards' due ranges, one round trip per page of up to <paramref name="limit"/> (at most 1000)
    /// entries; each legacy row read is moved to its shard (two more round trips).
    /// </summary>
    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var due = new List<DueEntry>(Math.Min(limit, 1000));
        var beforeNext = (now.ToDateTimeOffset().UtcTicks + 1).ToString("D19", CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey le {DueEntities.PartitionKey(now)} or (PartitionKey ge {ShardKeys.Prefix} and PartitionKey lt {"t"} and RowKey lt {beforeNext})");
        await foreach (var row in tables.DueIndex.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            var entry = DueEntities.ToEntry(row);
            if (entry.DueAt > now)
            {
                continue; // A later entry of the current legacy minute.
            }

            if (!row.PartitionKey.StartsWith(ShardKeys.Prefix, StringComparison.Ordinal))
            {
                await tables.DueIndex.UpsertAsync(DueEntities.ToEntity(entry, _shards), TableUpdateMode.Replace, cancellationToken);
                await tables.DueIndex.DeleteAsync(row.PartitionKey, row.RowKey, cancellationToken);
            }

            due.Add(entry);
            if (due.Count == limit)
            {
                break; // Before the next page is fetched.
            }
        }

        return [.. due.OrderBy(e => e.DueAt)];
    }

    /// <summary>One round trip; removing an entry that is gone already (another dispatcher, or a retry) is done.</summary>
    public async Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await tables.DueIndex.DeleteAsync(DueEntities.PartitionKey(entry, _shards), DueEntities.RowKey(entry), cancellationToken);
    }
}
