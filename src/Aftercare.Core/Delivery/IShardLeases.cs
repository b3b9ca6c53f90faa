using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// Leases on due-index shards, so two instances never drain the same shard at once (issue 16). A lease is an
/// efficiency, not a safety rule: each message's ETag claim keeps a text single even if two drains overlap.
/// </summary>
public interface IShardLeases
{
    /// <summary>
    /// Takes the shard's lease until <paramref name="until"/> (UTC) when, at <paramref name="now"/>, it is free, expired
    /// or already <paramref name="owner"/>'s; null when another owner holds it or won the race.
    /// </summary>
    Task<ShardLease?> TryAcquireAsync(int shard, string owner, Instant now, Instant until, CancellationToken cancellationToken);

    /// <summary>Extends a held lease to <paramref name="until"/>; null when it was lost (taken over after it expired).</summary>
    Task<ShardLease?> TryRenewAsync(ShardLease lease, Instant until, CancellationToken cancellationToken);

    /// <summary>Gives the lease up at <paramref name="now"/>, if it is still the one held; a lost lease is left to its new owner.</summary>
    Task ReleaseAsync(ShardLease lease, Instant now, CancellationToken cancellationToken);
}

/// <summary>A held shard lease: who holds it, until when (UTC), and the version it was written with.</summary>
public sealed record ShardLease(int Shard, string Owner, Instant Until, string ETag);
