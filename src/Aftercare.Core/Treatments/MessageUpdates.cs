namespace Aftercare.Core.Treatments;

/// <summary>Optimistic-concurrency updates of messages that may race with a dispatcher.</summary>
public static class MessageUpdates
{
    /// <summary>
    /// Moves every still-scheduled message that matches to a settled status. A message a dispatcher claimed in the
    /// meantime is left alone: it is already on its way, and the dispatcher re-checks before it sends.
    /// </summary>
    public static async Task<int> SettlePendingAsync(
        ITreatmentStore store,
        TreatmentRecord record,
        Func<OutboundMessage, bool> predicate,
        MessageStatus status,
        string reason,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var treatment = record.Treatment.Value;
        var settled = 0;
        foreach (var versioned in record.Messages)
        {
            var current = versioned;
            while (current.Value.Status.IsPending() && predicate(current.Value))
            {
                var updated = current.Value with { Status = status, StatusReason = reason, UpdatedAt = time.GetCurrentInstant() };
                if (await store.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, updated, current.ETag, cancellationToken) is not null)
                {
                    settled++;
                    break;
                }

                current = await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, current.Value.StageId, cancellationToken)
                    ?? throw new InvalidOperationException("A message disappeared while it was being updated.");
            }
        }

        return settled;
    }
}
