using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Delivery;

/// <summary>What a status callback did (<see cref="StatusCallbacks"/>).</summary>
public enum StatusCallbackOutcome
{
    /// <summary>Recorded, or it changed nothing (late, repeated, or a status the message has passed).</summary>
    Applied,

    /// <summary>No such message.</summary>
    NotFound,

    /// <summary>The message kept changing under it: Twilio retries the callback.</summary>
    Conflict,
}

/// <summary>
/// Records Twilio's delivery status callbacks on their message (<see cref="DeliveryReceipts"/>: a message only moves
/// forward). A callback that turns a text <c>undelivered</c> or <c>failed</c> raises the clinic's <c>message-failed</c>
/// alert (issue 14, item 5) before it is recorded, so a crash in between leaves Twilio's retry to meet the alert stored.
/// </summary>
public sealed class StatusCallbacks(ITreatmentStore treatments, IClinicStore clinics, IAlertOutbox alerts, TimeProvider time)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Applies <paramref name="reported"/> (with Twilio's <paramref name="errorCode"/>, if any) to the message of
    /// <paramref name="stageId"/>. Round trips: a point read and a conditional replace (again on a lost race, up to five
    /// times); a failure adds the clinic and treatment reads and the outbox insert.
    /// </summary>
    public async Task<StatusCallbackOutcome> ApplyAsync(
        string clinicId, string treatmentId, string stageId, string providerMessageId, MessageStatus reported, string? errorCode, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var message = await treatments.FindMessageAsync(clinicId, treatmentId, stageId, cancellationToken);
            if (message is null)
            {
                return StatusCallbackOutcome.NotFound;
            }

            var now = time.GetCurrentInstant();
            var updated = DeliveryReceipts.Apply(message.Value, providerMessageId, reported, errorCode, now);
            if (updated is null)
            {
                return StatusCallbackOutcome.Applied;
            }

            if (updated.Status is MessageStatus.Undelivered or MessageStatus.Failed && message.Value.Status != updated.Status)
            {
                await RaiseFailedAsync(clinicId, treatmentId, updated, now, cancellationToken);
            }

            if (await treatments.TryReplaceMessageAsync(clinicId, treatmentId, updated, message.ETag, cancellationToken) is not null)
            {
                return StatusCallbackOutcome.Applied;
            }
        }

        return StatusCallbackOutcome.Conflict;
    }

    private async Task RaiseFailedAsync(string clinicId, string treatmentId, OutboundMessage failed, NodaTime.Instant now, CancellationToken cancellationToken)
    {
        var clinic = await clinics.FindAsync(clinicId, cancellationToken);
        var record = await treatments.FindAsync(clinicId, treatmentId, cancellationToken);
        if (clinic is not null && record is not null && record.Treatment.Value.ErasedAt is null)
        {
            await alerts.RaiseAsync(
                clinic, MessageFailedAlert.For(record.Treatment.Value, failed.StageId, failed.ErrorCode, now, failed.Status), cancellationToken);
        }
    }
}
