using Aftercare.Core.Privacy;
using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// What a clinic knows about one client's number: the treatments registered for it (so a new one can cancel the
/// previous rebooking prompts, and an erasure finds every treatment of the client without a scan) and whether it has
/// received a text from the clinic (so only its first text needs the opt-out line). Keyed by the phone's keyed hash,
/// never the number.
/// </summary>
public interface IClientHistory
{
    /// <summary>
    /// Records the treatment for the client and returns what was known before it (the latest treatments, oldest first,
    /// and whether the number had opted out).
    /// </summary>
    Task<ClientHistory> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the provider accepted a text from the clinic to the number at <paramref name="at"/>. Repeating it
    /// is harmless; it never removes what <see cref="RecordAsync"/> keeps.
    /// </summary>
    Task RecordTextedAsync(string clinicId, string phone, Instant at, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="RecordTextedAsync(string, string, Instant, CancellationToken)"/> for many numbers of one clinic at once
    /// (the dispatcher's first texts of one page), batched rather than one write per number.
    /// </summary>
    Task RecordTextedAsync(string clinicId, IReadOnlyCollection<string> numbers, Instant at, CancellationToken cancellationToken);

    /// <summary>Every treatment recorded for the client and still held, and what earlier erasures erased; null for a client the clinic never registered.</summary>
    Task<ClientTreatments?> FindAsync(string clinicId, string phone, CancellationToken cancellationToken);

    /// <summary>
    /// After an erasure: forgets the client's treatments (and that the number had a text) and keeps
    /// <paramref name="erased"/> as the totals a repeated erasure answers with, if the history still has the ETag it was
    /// read with (false when a registration or a text's record changed it first).
    /// </summary>
    Task<bool> TryMarkErasedAsync(string clinicId, string phone, ErasureCounts erased, string etag, CancellationToken cancellationToken);

    /// <summary>Forgets one treatment of the client (its data expired); a history left empty is deleted.</summary>
    Task ForgetAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken);
}

/// <summary>
/// A client's history at a clinic before a registration: the earlier treatments (oldest first) and whether the number
/// has received a text from the clinic (one the provider accepted).
/// </summary>
public sealed record ClientHistory(IReadOnlyList<string> EarlierTreatmentIds, bool Texted)
{
    /// <summary>
    /// The number had opted out of the clinic's texts as the history was read (<see cref="IOptOutStore"/> notes every
    /// opt-out and opt-in in the history too, so a registration needs no opt-out query of its own).
    /// </summary>
    public bool OptedOut { get; init; }

    /// <summary>The treatment was in the history already (a repeated registration); nothing was written.</summary>
    public bool AlreadyRecorded { get; init; }
}

/// <summary>A client's treatments at a clinic, the totals of earlier erasures, and the history's concurrency token.</summary>
public sealed record ClientTreatments(IReadOnlyList<string> TreatmentIds, ErasureCounts Erased, string ETag);
