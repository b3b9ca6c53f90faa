using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// The retention index: rows of the due-index table in each treatment's shard (<see cref="RetentionRows"/>), among
/// <paramref name="options"/>' shards (16 when none are given), plus the legacy retention table
/// (<see cref="RetentionEntities"/>) of deployments from before the shards, which is still read and whose due rows are
/// moved to their shard as they are read. Reading costs what is due, not history.
/// </summary>
public sealed class TableRetentionIndex(AftercareTables tables, DispatchOptions? options = null) : IRetentionIndex
{
    private readonly int _shards = options?.Shards ?? DispatchShards.DefaultCount;

    /// <summary>An upsert in the treatment's shard (one round trip); adding an entry again changes nothing.</summary>
    public Task AddAsync(RetentionEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return tables.DueIndex.UpsertAsync(RetentionRows.ToEntity(entry, _shards), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// A query over the legacy table first, each row it finds moved to its shard (two more round trips), then one range
    /// query per shard, concurrently (a round trip per page of up to <paramref name="limit"/>, at most 1000, each).
    /// Returns the earliest <paramref name="limit"/> of what they read (by day, then clinic and treatment id).
    /// </summary>
    public async Task<IReadOnlyList<RetentionEntry>> ListDueAsync(RetentionReason reason, LocalDate upTo, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        // Legacy rows move into their shards first: read side by side, a shard read could meet a row it moved as well.
        await MoveLegacyAsync(reason, upTo, limit, cancellationToken);
        var reads = Enumerable.Range(0, _shards)
            .Select(shard => ReadShardAsync(ShardKeys.PartitionKey(shard), reason, upTo, limit, cancellationToken));
        return [.. (await Task.WhenAll(reads)).SelectMany(entries => entries)
            .OrderBy(e => e.Day)
            .ThenBy(e => e.ClinicId, StringComparer.Ordinal)
            .ThenBy(e => e.TreatmentId, StringComparer.Ordinal)
            .Take(limit)];
    }

    /// <summary>One round trip; removing an entry that is gone already is done.</summary>
    public Task RemoveAsync(RetentionEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return tables.DueIndex.DeleteAsync(RetentionRows.PartitionKey(entry, _shards), RetentionRows.RowKey(entry), cancellationToken);
    }

    private async Task<List<RetentionEntry>> ReadShardAsync(string partitionKey, RetentionReason reason, LocalDate upTo, int limit, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey ge {RetentionRows.ReasonPrefix(reason)} and RowKey lt {RetentionRows.After(reason, upTo)}");
        return await TakeAsync(tables.DueIndex.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken), row => RetentionRows.ToEntry(reason, row), limit);
    }

    private async Task MoveLegacyAsync(RetentionReason reason, LocalDate upTo, int limit, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {RetentionEntities.Prefix(reason)} and PartitionKey le {RetentionEntities.PartitionKey(reason, upTo)}");
        var legacy = await TakeAsync(tables.Retention.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken), row => row, limit);
        foreach (var row in legacy)
        {
            await AddAsync(RetentionEntities.ToEntry(reason, row), cancellationToken);
            await tables.Retention.DeleteAsync(row.PartitionKey, row.RowKey, cancellationToken);
        }
    }

    private static async Task<List<T>> TakeAsync<T>(IAsyncEnumerable<TableEntity> rows, Func<TableEntity, T> map, int limit)
    {
        var taken = new List<T>(Math.Min(limit, 1000));
        await foreach (var row in rows)
        {
            taken.Add(map(row));
            if (taken.Count == limit)
            {
                break; // Before the next page is fetched.
            }
        }

        return taken;
    }
}
