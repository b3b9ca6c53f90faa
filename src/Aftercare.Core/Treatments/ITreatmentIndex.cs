using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;

namespace Aftercare.Core.Treatments;

/// <summary>
/// The index rows a new treatment needs, written together before the treatment itself: its due entries
/// (<see cref="IDueIndex"/>) and its retention entry (<see cref="IRetentionIndex"/>). Rows whose treatment never lands
/// are dropped by the dispatcher and the retention sweep; a treatment whose rows never landed would never be sent.
/// </summary>
public interface ITreatmentIndex
{
    /// <summary>
    /// Adds (or re-adds, idempotently) the due entries and the retention entry of one treatment; every entry must name
    /// <paramref name="retention"/>'s treatment (<see cref="ArgumentException"/> otherwise).
    /// </summary>
    Task AddAsync(IReadOnlyList<DueEntry> dueEntries, RetentionEntry retention, CancellationToken cancellationToken);
}
