using Aftercare.Core.Delivery;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>The real due index, listing only the entries of some stages: a dispatcher whose page held only those.</summary>
public sealed class StageFilteredDueIndex(IDueIndex inner, params string[] stageIds) : IDueIndex
{
    public Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken) => inner.AddAsync(entries, cancellationToken);

    public async Task<IReadOnlyList<DueEntry>> ListDueAsync(Instant now, int limit, CancellationToken cancellationToken) =>
        [.. (await inner.ListDueAsync(now, limit, cancellationToken)).Where(e => stageIds.Contains(e.StageId))];

    public Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken) => inner.RemoveAsync(entry, cancellationToken);
}
