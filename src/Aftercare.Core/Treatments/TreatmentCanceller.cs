namespace Aftercare.Core.Treatments;

/// <summary>Cancels a treatment at the clinic's request: its pending messages become cancelled.</summary>
public sealed class TreatmentCanceller(ITreatmentStore treatments, TimeProvider time)
{
    public const string Reason = "Cancelled by the clinic.";

    /// <summary>The timeline after cancelling, or null when the clinic has no such treatment.</summary>
    public async Task<TreatmentRecord?> CancelAsync(string clinicId, string externalId, CancellationToken cancellationToken)
    {
        var treatmentId = TreatmentIds.For(clinicId, externalId);
        var record = await treatments.FindAsync(clinicId, treatmentId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        // The treatment is marked first, so a dispatcher that claims a message in between still sees the cancellation.
        var current = record.Treatment;
        while (current.Value.Status == TreatmentStatus.Active)
        {
            var cancelled = current.Value with { Status = TreatmentStatus.Cancelled, StatusReason = Reason };
            if (await treatments.TryReplaceTreatmentAsync(cancelled, current.ETag, cancellationToken) is not null)
            {
                break;
            }

            current = (await treatments.FindAsync(clinicId, treatmentId, cancellationToken))!.Treatment;
        }

        await MessageUpdates.SettlePendingAsync(treatments, record, _ => true, MessageStatus.Cancelled, Reason, time, cancellationToken);
        return await treatments.FindAsync(clinicId, treatmentId, cancellationToken);
    }
}
