using Aftercare.Core.Delivery;

namespace Aftercare.Core.Privacy;

/// <summary>
/// A clinic's request to erase one client (DESIGN.md, "Privacy at rest"): every treatment of the client at that clinic,
/// found through the client history (never a scan), is erased by <see cref="TreatmentEraser"/>; the opt-out record,
/// keyed by the phone's keyed hash, is left alone so a STOP keeps being honoured. The history then forgets the
/// treatments and keeps the totals, so asking again answers the same.
/// </summary>
public sealed class ClientErasure(IClientHistory history, TreatmentEraser eraser, IRetentionIndex retention, TimeProvider time)
{
    public const string Reason = "The client's personal data was erased at the clinic's request.";

    private const int MaxAttempts = 20;

    /// <summary>
    /// Erases the client at the clinic. Null when the clinic never registered the number. While a text to the client is
    /// on its way the answer says how many are in flight: everything else is erased, those treatments are marked for the
    /// retention sweep to finish, and asking again once they have settled finishes at once.
    /// </summary>
    /// <param name="phone">Canonical E.164, as stored.</param>
    /// <exception cref="InvalidOperationException">The client's history kept changing under 20 attempts.</exception>
    public async Task<ClientErasureResult?> EraseAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var client = await history.FindAsync(clinicId, phone, cancellationToken);
            if (client is null)
            {
                return null;
            }

            var erased = client.Erased;
            var inFlight = 0;
            foreach (var treatmentId in client.TreatmentIds)
            {
                if (await eraser.EraseAsync(clinicId, treatmentId, Reason, cancellationToken) is not { } treatment)
                {
                    continue;
                }

                erased += treatment.Counts;
                if (treatment.InFlightMessages > 0)
                {
                    inFlight += treatment.InFlightMessages;
                    var today = time.GetCurrentInstant().InUtc().Date;
                    await retention.AddAsync(new RetentionEntry(RetentionReason.ErasureRequested, today, clinicId, treatmentId), cancellationToken);
                }
            }

            if (inFlight > 0)
            {
                return new ClientErasureResult(erased, inFlight);
            }

            if (client.TreatmentIds.Count == 0 || await history.TryMarkErasedAsync(clinicId, phone, erased, client.ETag, cancellationToken))
            {
                return new ClientErasureResult(erased, 0);
            }

            // A registration for the same client landed meanwhile: erase it too.
        }

        throw new InvalidOperationException($"The client's history at clinic {clinicId} kept changing under {MaxAttempts} attempts to erase it.");
    }
}

/// <summary>What a client's erasure erased, in total, and how many texts were still on their way (then it is not finished).</summary>
public sealed record ClientErasureResult(ErasureCounts Erased, int InFlightMessages)
{
    public bool IsComplete => InFlightMessages == 0;
}
