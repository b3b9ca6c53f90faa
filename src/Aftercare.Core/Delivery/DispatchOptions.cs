using NodaTime;

namespace Aftercare.Core.Delivery;

public sealed class DispatchOptions
{
    /// <summary>
    /// How many shards the due index is split into (<see cref="DispatchShards"/>), 1 to <see cref="DispatchShards.MaxCount"/>.
    /// Each shard is drained by one worker at a time, so it bounds how many instances send at once. New entries go to the
    /// shards of this count; drains cover the highest count ever recorded (<see cref="IDueIndex.ShardCountAsync"/>), so
    /// lowering it strands nothing, though it does not shrink the drain either.
    /// </summary>
    public int Shards { get; set; } = DispatchShards.DefaultCount;

    /// <summary>
    /// How long one shard work item keeps draining before it stops taking new messages (those in flight finish, within
    /// <see cref="SendDeadline"/>). With the send deadline and a margin it must fit the host's <c>functionTimeout</c>
    /// (host.json, 5 minutes); the next timer tick queues the shard again.
    /// </summary>
    public Duration DrainTime { get; set; } = Duration.FromMinutes(3);

    /// <summary>
    /// How long a shard lease lasts unless renewed (every third of it while the drain runs): how long a shard whose
    /// drainer died waits before another instance may take it.
    /// </summary>
    public Duration ShardLeaseTime { get; set; } = Duration.FromSeconds(30);

    /// <summary>How many due entries one page of a drain takes on, 1 to 1000 (a query page); its page costs are shared by them.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How many sends one process (one instance) has in flight at the provider at once, across all its drains; twice as
    /// many treatments of a page are read and claimed meanwhile (a treatment's own due messages go one after another).
    /// </summary>
    public int MaxParallelism { get; set; } = 8;

    /// <summary>How long a claim holds a message before another dispatcher may recover it.</summary>
    public Duration Lease { get; set; } = Duration.FromMinutes(2);

    /// <summary>
    /// How long one send may take, all retries included. Half the lease, so a send is over, one way or the other,
    /// long before another dispatcher may take the message over and look for it at the provider.
    /// </summary>
    public Duration SendDeadline => Lease / 2;

    /// <summary>How long after an in-doubt send the provider is asked whether the text exists.</summary>
    public Duration InDoubtRecheck { get; set; } = Duration.FromMinutes(1);

    /// <summary>
    /// How long an index entry may point at a treatment that is not stored yet (its registration may still be
    /// writing) before it is dropped as the leftover of a registration that never completed.
    /// </summary>
    public Duration OrphanGrace { get; set; } = Duration.FromMinutes(10);

    /// <summary>The shortest wait before a deferred message is tried again.</summary>
    public Duration MinimumRetryDelay { get; set; } = Duration.FromMinutes(1);

    /// <summary>
    /// Where delivery status callbacks go; the message's key is added as query parameters so the callback finds it
    /// directly. Null sends none.
    /// </summary>
    public Uri? StatusCallbackUrl { get; set; }
}
