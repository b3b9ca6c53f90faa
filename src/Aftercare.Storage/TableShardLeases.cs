using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using Azure;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// Shard leases as one row per shard in the due-index table, in the shard's own partition: PK = the shard key
/// (<see cref="ShardKeys"/>), RK = "lease" (after every due row's digits, so a due range never reads it), columns Owner
/// and Until (UTC). Every change is ETag-conditional, so of two instances racing for a free lease one wins. Taking a
/// lease costs a point read and a write (two round trips; three the first time a shard is leased); renewing and releasing
/// cost one each.
/// </summary>
public sealed class TableShardLeases(AftercareTables tables) : IShardLeases
{
    /// <summary>The row key of a shard's lease row.</summary>
    public const string RowKey = "lease";

    public async Task<ShardLease?> TryAcquireAsync(int shard, string owner, Instant now, Instant until, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var partitionKey = ShardKeys.PartitionKey(shard);
        var current = await tables.DueIndex.FindAsync(partitionKey, RowKey, cancellationToken: cancellationToken);
        if (current is null)
        {
            // The shard's first lease ever (a released lease keeps its row, expired): the read-back finds the version.
            return await tables.DueIndex.TryAddAsync(Row(partitionKey, owner, until), cancellationToken)
                ? await ReadBackAsync(shard, owner, cancellationToken)
                : null;
        }

        var heldUntil = StoredValues.ToInstant(current.RequiredDateTimeOffset("Until"));
        if (heldUntil > now && current.GetString("Owner") != owner)
        {
            return null;
        }

        return await ReplaceAsync(shard, owner, until, current.ETag, cancellationToken);
    }

    public Task<ShardLease?> TryRenewAsync(ShardLease lease, Instant until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return ReplaceAsync(lease.Shard, lease.Owner, until, new ETag(lease.ETag), cancellationToken);
    }

    /// <summary>Marks the lease expired at <paramref name="now"/> (one round trip), keeping the row for the next taker.</summary>
    public Task ReleaseAsync(ShardLease lease, Instant now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return ReplaceAsync(lease.Shard, lease.Owner, now, new ETag(lease.ETag), cancellationToken);
    }

    private async Task<ShardLease?> ReplaceAsync(int shard, string owner, Instant until, ETag etag, CancellationToken cancellationToken)
    {
        var written = await tables.DueIndex.TryReplaceAsync(Row(ShardKeys.PartitionKey(shard), owner, until), etag, cancellationToken);
        return written is { } version ? new ShardLease(shard, owner, until, version.ToString()) : null;
    }

    private async Task<ShardLease?> ReadBackAsync(int shard, string owner, CancellationToken cancellationToken)
    {
        var row = await tables.DueIndex.FindAsync(ShardKeys.PartitionKey(shard), RowKey, cancellationToken: cancellationToken);
        return row is not null && row.GetString("Owner") == owner
            ? new ShardLease(shard, owner, StoredValues.ToInstant(row.RequiredDateTimeOffset("Until")), row.ETag.ToString())
            : null;
    }

    private static TableEntity Row(string partitionKey, string owner, Instant until) => new(partitionKey, RowKey)
    {
        ["Owner"] = owner,
        ["Until"] = StoredValues.ToStored(until),
    };
}
