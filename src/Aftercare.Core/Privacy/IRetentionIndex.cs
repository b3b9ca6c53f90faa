using NodaTime;

namespace Aftercare.Core.Privacy;

/// <summary>The retention index: which treatments may be due for erasure on which day.</summary>
public interface IRetentionIndex
{
    /// <summary>Adds (or re-adds, idempotently) an entry.</summary>
    Task AddAsync(RetentionEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries for <paramref name="reason"/> of days up to <paramref name="upTo"/> (inclusive), earliest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RetentionEntry>> ListDueAsync(RetentionReason reason, LocalDate upTo, int limit, CancellationToken cancellationToken);

    /// <summary>Removes an entry; removing one that is gone already is not an error.</summary>
    Task RemoveAsync(RetentionEntry entry, CancellationToken cancellationToken);
}
