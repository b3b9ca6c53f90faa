using Aftercare.Core.Privacy;

namespace Aftercare.Core.Delivery;

/// <summary>
/// Which treatments a client has had at a clinic, so a new one can cancel the previous rebooking prompts and an
/// erasure finds every treatment of the client without a scan. Keyed by the phone's keyed hash, never the number.
/// </summary>
public interface IClientHistory
{
    /// <summary>Records the treatment for the client and returns the treatments recorded before it (the latest ones, oldest first).</summary>
    Task<IReadOnlyList<string>> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken);

    /// <summary>Every treatment recorded for the client and still held, and what earlier erasures erased; null for a client the clinic never registered.</summary>
    Task<ClientTreatments?> FindAsync(string clinicId, string phone, CancellationToken cancellationToken);

    /// <summary>
    /// After an erasure: forgets the client's treatments and keeps <paramref name="erased"/> as the totals a repeated
    /// erasure answers with, if the history still has the ETag it was read with (false when a registration changed it first).
    /// </summary>
    Task<bool> TryMarkErasedAsync(string clinicId, string phone, ErasureCounts erased, string etag, CancellationToken cancellationToken);

    /// <summary>Forgets one treatment of the client (its data expired); a history left empty is deleted.</summary>
    Task ForgetAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken);
}

/// <summary>A client's treatments at a clinic, the totals of earlier erasures, and the history's concurrency token.</summary>
public sealed record ClientTreatments(IReadOnlyList<string> TreatmentIds, ErasureCounts Erased, string ETag);
