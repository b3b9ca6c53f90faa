using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;

namespace Aftercare.Core.Treatments;

/// <summary>
/// The index rows a new treatment needs, written together before the treatment itself: its due entries
/// (<see cref="IDueIndex"/>), its retention entry (<see cref="IRetentionIndex"/>) and a mark that its registration got
/// this far, which lets a repeated registration find out it is one before it writes anything. Rows whose treatment never
/// lands are dropped by the dispatcher and the retention sweep; a treatment whose rows never landed would never be sent.
/// Every due entry must name <c>retention</c>'s treatment (<see cref="ArgumentException"/> otherwise).
/// </summary>
public interface ITreatmentIndex
{
    /// <summary>
    /// Adds the mark and the rows; false, with nothing written, when the mark is there already (the treatment was
    /// registered, or a registration of it wrote its index and has not, or never, written the treatment).
    /// </summary>
    Task<bool> TryAddAsync(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention, CancellationToken cancellationToken);

    /// <summary>Adds (or re-adds, idempotently) the rows, whether or not the mark is there: to complete a registration.</summary>
    Task AddAsync(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention, CancellationToken cancellationToken);
}
