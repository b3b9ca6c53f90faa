namespace Aftercare.Core.Treatments;

/// <summary>Optimistic-concurrency updates of messages that may race with a dispatcher.</summary>
public static class MessageUpdates
{
    /// <summary>
    /// Moves every still-scheduled message that matches to a settled status, and returns how many it moved. A message a
    /// dispatcher claimed in the meantime is left alone: it is already on its way, and the dispatcher re-checks before
    /// it sends.
    /// </summary>
    public static async Task<int> SettlePendingAsync(
        ITreatmentStore store,
        TreatmentRecord record,
        Func<OutboundMessage, bool> predicate,
        MessageStatus status,
        string reason,
        TimeProvider time,
        CancellationToken cancellationToken) =>
        (await SettlePendingAsync(store, record, predicate, status, reason, errorCode: null, time, cancellationToken)).Count;

    /// <summary>
    /// As the overload without <paramref name="errorCode"/>, also recording that code (a provider's error code, such
    /// as Twilio's 21211) on each message; returns the messages as they were settled.
    /// </summary>
    public static async Task<IReadOnlyList<OutboundMessage>> SettlePendingAsync(
        ITreatmentStore store,
        TreatmentRecord record,
        Func<OutboundMessage, bool> predicate,
        MessageStatus status,
        string reason,
        string? errorCode,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(time);
        var treatment = record.Treatment.Value;
        var settled = new List<OutboundMessage>();
        foreach (var versioned in record.Messages)
        {
            var current = versioned;
            while (current.Value.Status.IsPending() && predicate(current.Value))
            {
                var updated = current.Value with
                {
                    Status = status,
                    StatusReason = reason,
                    ErrorCode = errorCode ?? current.Value.ErrorCode,
                    UpdatedAt = time.GetCurrentInstant(),
                };
                if (await store.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, updated, current.ETag, cancellationToken) is not null)
                {
                    settled.Add(updated);
                    break;
                }

                current = await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, current.Value.StageId, cancellationToken)
                    ?? throw new InvalidOperationException("A message disappeared while it was being updated.");
            }
        }

        return settled;
    }
}
