using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// The due-time index: one entry per message that may still need sending, ordered by due time. Entries are
/// removed once their message is settled, so reading what is due costs what is due, not the whole history.
/// </summary>
public interface IDueIndex
{
    /// <summary>Adds (or re-adds, idempotently) entries.</summary>
    Task AddAsync(IReadOnlyList<DueEntry> entries, CancellationToken cancellationToken);

    /// <summary>Entries due at or before <paramref name="now"/>, earliest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DueEntry>> ListDueAsync(Instant now, int limit, CancellationToken cancellationToken);

    /// <summary>Removes an entry; removing one that is gone already is not an error.</summary>
    Task RemoveAsync(DueEntry entry, CancellationToken cancellationToken);
}
