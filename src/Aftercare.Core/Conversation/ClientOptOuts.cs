using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Conversation;

/// <summary>
/// Opt-out and opt-in by keyword (issue 14, item 3): STOP is recorded at once and every pending text of the client at
/// the clinic becomes <see cref="MessageStatus.Suppressed"/> in the same request; START lifts the opt-out and leaves
/// what was suppressed as it is.
/// </summary>
public sealed class ClientOptOuts(IOptOutStore optOuts, IClientHistory history, ITreatmentStore treatments, TimeProvider time)
{
    /// <summary>The reason suppressed texts show on the timeline.</summary>
    public const string SuppressedReason = "The client replied STOP: opted out of texts from this clinic.";

    /// <summary>
    /// Records the opt-out at <paramref name="clinicId"/> and suppresses the client's pending texts there; returns how
    /// many it suppressed. Round trips: the opt-out write, the history read, and per treatment a read plus a write per
    /// pending text. Repeating it suppresses nothing more.
    /// </summary>
    public async Task<int> OptOutAsync(string clinicId, string phone, Instant at, CancellationToken cancellationToken)
    {
        await optOuts.OptOutAsync(clinicId, phone, "reply", at, cancellationToken);
        if (await history.FindAsync(clinicId, phone, cancellationToken) is not { } known)
        {
            return 0;
        }

        var suppressed = 0;
        foreach (var treatmentId in known.TreatmentIds)
        {
            if (await treatments.FindAsync(clinicId, treatmentId, cancellationToken) is { } record)
            {
                suppressed += await MessageUpdates.SettlePendingAsync(treatments, record, _ => true, MessageStatus.Suppressed, SuppressedReason, time, cancellationToken);
            }
        }

        return suppressed;
    }

    /// <summary>Lifts the opt-out at <paramref name="clinicId"/> (one round trip); treatments registered afterwards are scheduled normally.</summary>
    public Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
        optOuts.OptInAsync(clinicId, phone, cancellationToken);
}
