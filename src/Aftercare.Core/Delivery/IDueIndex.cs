using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// The due-time index: one entry per message that may still need sending, split into shards
/// (<see cref="DispatchShards"/>) and ordered by due time within each. Entries are removed once their message is
/// settled, so reading what is due costs what is due, not the whole history. An entry is only a pointer: a stale or
/// duplicate one costs a read, never a second text (the message row's ETag decides).
/// </summary>
public interface IDueIndex
{
    /// <summary>Adds (or re-adds, idempotently) entries, each in its treatment's shard.</summary>
    Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken);

    /// <summary>
    /// The shard count to drain: the highest ever recorded, after recording <paramref name="configured"/> if it is
    /// higher. Lowering the setting never strands the entries of the shards dropped: they keep being drained.
    /// </summary>
    /// <param name="configured">The configured count, 1 to <see cref="DispatchShards.MaxCount"/>.</param>
    Task<int> ShardCountAsync(int configured, CancellationToken cancellationToken);

    /// <summary>
    /// Entries of <paramref name="shard"/> due at or before <paramref name="now"/>, earliest first, after
    /// <paramref name="after"/> (null: from the start), at most <paramref name="limit"/>: one page of a drain.
    /// </summary>
    Task<IReadOnlyList<DueEntry>> ListDueAsync(int shard, Instant now, DueEntry? after, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Removes <paramref name="removed"/>, entries read from <paramref name="shard"/> (whatever shard the current count
    /// would give them), and adds <paramref name="added"/>, each to its shard under the current count (a deferred entry is
    /// its old self removed and its new self added), batched per shard. Removing an entry that is gone already is not an
    /// error.
    /// </summary>
    Task ApplyAsync(int shard, IReadOnlyList<DueEntry> removed, IReadOnlyList<DueEntry> added, CancellationToken cancellationToken);

    /// <summary>
    /// Moves up to <paramref name="limit"/> entries written in an older layout into their shards and returns how many it
    /// moved: 0, for the price of one read, once none are left.
    /// </summary>
    Task<int> MoveLegacyEntriesAsync(int limit, CancellationToken cancellationToken);
}
