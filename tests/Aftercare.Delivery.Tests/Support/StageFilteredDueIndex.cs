using Aftercare.Core.Delivery;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>The real due index, listing only the entries of some stages: a dispatcher whose page held only those.</summary>
public sealed class StageFilteredDueIndex(IDueIndex inner, params string[] stageIds) : IDueIndex
{
    public Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken) => inner.AddAsync(entries, cancellationToken);

    public Task<int> ShardCountAsync(int configured, CancellationToken cancellationToken) => inner.ShardCountAsync(configured, cancellationToken);

    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(int shard, Instant now, DueEntry? after, int limit, CancellationToken cancellationToken) =>
        [.. (await inner.ListDueAsync(shard, now, after, limit, cancellationToken)).Where(e => stageIds.Contains(e.StageId))];

    public Task ApplyAsync(int shard, IReadOnlyList<DueEntry> removed, IReadOnlyList<DueEntry> added, CancellationToken cancellationToken) =>
        inner.ApplyAsync(shard, removed, added, cancellationToken);

    public Task<int> MoveLegacyEntriesAsync(int limit, CancellationToken cancellationToken) => inner.MoveLegacyEntriesAsync(limit, cancellationToken);
}
