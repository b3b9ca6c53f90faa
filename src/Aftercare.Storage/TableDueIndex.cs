using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Azure;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// The due-time index, sharded (layout in <see cref="DueEntities"/>): entries are written to the shard of
/// <see cref="DispatchOptions.Shards"/>, and a shard's due range is one contiguous scan. Reading costs what is due, not
/// history.
/// </summary>
public sealed class TableDueIndex(AftercareTables tables, DispatchOptions options) : IDueIndex
{
    private const int MaxPage = 1000;

    /// <summary>
    /// Upserts, grouped by shard: a treatment's entries are one round trip (a single entry as a plain upsert, more as a
    /// transaction of up to 100). Re-adding an entry changes nothing.
    /// </summary>
    public Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return WriteAsync([.. entries.Select(e => DueEntities.ToEntity(e, options.Shards))], [], cancellationToken);
    }

    /// <summary>
    /// A point read of the recorded count (one round trip), and a conditional write when <paramref name="configured"/>
    /// is higher (one more, again after a lost race).
    /// </summary>
    public async Task<int> ShardCountAsync(int configured, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(configured, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(configured, DispatchShards.MaxCount);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var row = await tables.DueIndex.FindAsync(DueEntities.ShardCountPartitionKey, DueEntities.ShardCountRowKey, cancellationToken: cancellationToken);
            var recorded = row?.GetInt32(DueEntities.ShardCountColumn) ?? 0;
            if (recorded >= configured)
            {
                return recorded;
            }

            var raised = new TableEntity(DueEntities.ShardCountPartitionKey, DueEntities.ShardCountRowKey) { [DueEntities.ShardCountColumn] = configured };
            var written = row is null
                ? await tables.DueIndex.TryAddAsync(raised, cancellationToken)
                : await tables.DueIndex.TryReplaceAsync(raised, row.ETag, cancellationToken) is not null;
            if (written)
            {
                return configured;
            }
        }

        throw new InvalidOperationException("The due index's shard count kept changing under 10 attempts to raise it.");
    }

    /// <summary>
    /// One query page (one round trip) of up to <paramref name="limit"/> (at most 1000) entries:
    /// "PartitionKey eq {shard} and RowKey gt {after} and RowKey lt {now's ticks + 1}".
    /// </summary>
    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(int shard, Instant now, DueEntry? after, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var partitionKey = ShardKeys.PartitionKey(shard);
        var from = after is null ? string.Empty : DueEntities.RowKey(after);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey gt {from} and RowKey lt {DueEntities.RowKeyAfter(now)}");
        var due = new List<DueEntry>(Math.Min(limit, MaxPage));
        await foreach (var page in tables.DueIndex.QueryAsync(filter, maxPerPage: Math.Min(limit, MaxPage), cancellationToken: cancellationToken).AsPages())
        {
            due.AddRange(page.Values.Select(DueEntities.ToEntry).Take(limit - due.Count));
            if (due.Count == limit || page.ContinuationToken is null)
            {
                break; // Before the next page is fetched.
            }
        }

        return due;
    }

    /// <summary>
    /// One transaction per shard and 100 rows (a single row as a plain upsert or delete): the removals and additions of a
    /// shard commit together, so a deferred entry moves atomically. When a removal finds its row gone (another drain
    /// removed it first), that shard's rows are written one by one instead, additions first.
    /// </summary>
    public async Task ApplyAsync(int shard, IReadOnlyList<DueEntry> removed, IReadOnlyList<DueEntry> added, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removed);
        ArgumentNullException.ThrowIfNull(added);
        var partitionKey = ShardKeys.PartitionKey(shard);
        var upserts = added.Select(e => DueEntities.ToEntity(e, options.Shards)).ToList();
        var deletes = removed.Select(e => new TableEntity(partitionKey, DueEntities.RowKey(e))).ToList();
        await WriteAsync(upserts, deletes, cancellationToken);
    }

    /// <summary>
    /// One query of the older layout's partitions (one round trip, "PartitionKey lt 's'"), then, for what it found, a
    /// transaction per shard to add the rows there and a transaction per old partition to delete them.
    /// </summary>
    public async Task<int> MoveLegacyEntriesAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {ShardKeys.Prefix}");
        var legacy = new List<TableEntity>();
        await foreach (var page in tables.DueIndex.QueryAsync(filter, maxPerPage: Math.Min(limit, MaxPage), cancellationToken: cancellationToken).AsPages())
        {
            legacy.AddRange(page.Values);
            break;
        }

        if (legacy.Count == 0)
        {
            return 0;
        }

        // Added to the shard before deleted from the old partition: a crash in between leaves a duplicate pointer, never none.
        var upserts = legacy.Select(row => DueEntities.ToEntity(DueEntities.ToEntry(row), options.Shards)).ToList();
        await WriteAsync(upserts, [], cancellationToken);
        await WriteAsync([], legacy, cancellationToken);
        return legacy.Count;
    }

    /// <summary>
    /// Every entry due at or before <paramref name="now"/> in any shard or layout, earliest first, at most
    /// <paramref name="limit"/>: a scan of the whole index (a round trip per 1000 rows), for tests and operators, never
    /// on the dispatch path.
    /// </summary>
    public async Task<IReadOnlyList<DueEntry>> ListAllDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ne {DueEntities.ShardCountPartitionKey} and DueAt le {now.ToDateTimeOffset()}");
        var due = new List<(string RowKey, DueEntry Entry)>();
        await foreach (var row in tables.DueIndex.QueryAsync(filter, maxPerPage: MaxPage, cancellationToken: cancellationToken))
        {
            due.Add((row.RowKey, DueEntities.ToEntry(row)));
        }

        return [.. due.OrderBy(d => d.RowKey, StringComparer.Ordinal).Select(d => d.Entry).Take(limit)];
    }

    private async Task WriteAsync(IReadOnlyList<TableEntity> upserts, IReadOnlyList<TableEntity> deletes, CancellationToken cancellationToken)
    {
        var actions = upserts
            .DistinctBy(e => (e.PartitionKey, e.RowKey))
            .Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))
            .ToList();
        var written = actions.Select(a => (a.Entity.PartitionKey, a.Entity.RowKey)).ToHashSet();
        actions.AddRange(deletes
            .DistinctBy(e => (e.PartitionKey, e.RowKey))
            .Where(e => !written.Contains((e.PartitionKey, e.RowKey)))
            .Select(e => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(e.PartitionKey, e.RowKey), ETag.All)));
        var batches = actions
            .GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition.Chunk(TransactionRules.MaxActions));
        foreach (var batch in batches)
        {
            if (batch.Length > 1 && await tables.DueIndex.TrySubmitUnlessGoneAsync(batch, cancellationToken))
            {
                continue;
            }

            // Additions first, so a deferred entry is never absent from both places.
            foreach (var action in batch.OrderBy(a => a.ActionType == TableTransactionActionType.Delete))
            {
                if (action.ActionType == TableTransactionActionType.Delete)
                {
                    await tables.DueIndex.DeleteAsync(action.Entity.PartitionKey, action.Entity.RowKey, cancellationToken);
                }
                else
                {
                    await tables.DueIndex.UpsertAsync((TableEntity)action.Entity, TableUpdateMode.Replace, cancellationToken);
                }
            }
        }
    }
}
