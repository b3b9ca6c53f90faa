using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// What a clinic knows about one client's number: the treatments registered for it (so a new one can cancel the
/// previous rebooking prompts) and whether it has received a text from the clinic (so only its first text needs the
/// opt-out line).
/// </summary>
public interface IClientHistory
{
    /// <summary>Records the treatment for the client and returns what was known before it.</summary>
    Task<ClientHistory> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the provider accepted a text from the clinic to the number at <paramref name="at"/>. Repeating it
    /// is harmless; it never removes what <see cref="RecordAsync"/> keeps.
    /// </summary>
    Task RecordTextedAsync(string clinicId, string phone, Instant at, CancellationToken cancellationToken);
}

/// <summary>
/// A client's history at a clinic before a registration: the earlier treatments (oldest first) and whether the number
/// has received a text from the clinic (one the provider accepted).
/// </summary>
public sealed record ClientHistory(IReadOnlyList<string> EarlierTreatmentIds, bool Texted);
