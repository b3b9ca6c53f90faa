using Aftercare.Core.Alerts;
using Aftercare.Core.Conversation;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Privacy;

/// <summary>
/// Erases the personal data of one treatment: the client's name and phone and every message text, keeping the
/// anonymised audit (stage, status, times, provider ids, error codes). Pending messages are cancelled first. A message a
/// dispatcher has claimed (<see cref="MessageStatus.Sending"/>) is left to it, and so are the name and phone it may still
/// need to find the text at the provider: the treatment is marked cancelled so nothing else goes, and a later erasure
/// finishes once the message has settled. Every write is ETag-conditional, in one transaction per treatment, so a claim
/// and an erasure never both win: whichever writes second reads again. The text of every client reply on the treatment
/// is erased too (no dispatcher needs it), keeping when it came and its kind, and so are the client's name, phone and
/// reply text on every alert of the treatment still in the outbox's look-back (<see cref="AlertDeliveryOptions.Lookback"/>;
/// older alerts have settled, and a settled alert keeps none of them): an alert waiting to be sent is then failed
/// instead.
/// </summary>
public sealed class TreatmentEraser(
    ITreatmentStore treatments, IReplyStore replies, IAlertOutbox alerts, AlertDeliveryOptions alertOptions, TimeProvider time)
{
    private const int MaxAttempts = 20;

    /// <summary>
    /// Erases what can be erased now and says what the treatment holds afterwards; null when there is no such treatment.
    /// Repeating it changes nothing more. One read and at most one transaction, again after each lost race; then the
    /// replies' partition query and a write per reply that still has its text; then the outbox's query over the look-back
    /// days and a write per alert that still holds client data.
    /// </summary>
    /// <param name="reason">Shown on the timeline: why the data was erased and why pending messages were cancelled.</param>
    /// <exception cref="InvalidOperationException">The treatment kept changing under 20 attempts.</exception>
    public async Task<TreatmentErasure?> EraseAsync(string clinicId, string treatmentId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await treatments.FindAsync(clinicId, treatmentId, cancellationToken);
            if (record is null)
            {
                return null;
            }

            var (treatment, messages, outcome) = Erase(record, reason, time.GetCurrentInstant());
            if (treatment is null || await treatments.TryReplaceAllAsync(treatment, messages, cancellationToken))
            {
                await replies.EraseTextsAsync(clinicId, treatmentId, cancellationToken);
                await alerts.EraseClientDataAsync(clinicId, treatmentId, time.GetCurrentInstant(), alertOptions.Lookback, cancellationToken);
                return outcome;
            }

            // A dispatcher, a status callback or a registration changed the partition first: read it again.
        }

        throw new InvalidOperationException($"Treatment {treatmentId} kept changing under {MaxAttempts} attempts to erase it.");
    }

    /// <summary>The rows to write (none when there is nothing left to erase now) and what the treatment holds after them.</summary>
    private static (Versioned<Treatment>? Treatment, List<Versioned<OutboundMessage>> Messages, TreatmentErasure Outcome) Erase(
        TreatmentRecord record, string reason, NodaTime.Instant now)
    {
        var changed = new List<Versioned<OutboundMessage>>();
        var after = new List<OutboundMessage>();
        foreach (var (message, etag) in record.Messages)
        {
            OutboundMessage? erased = message.Status switch
            {
                MessageStatus.Scheduled => message with { Status = MessageStatus.Cancelled, StatusReason = reason, Body = string.Empty, UpdatedAt = now },
                MessageStatus.Sending => null,
                _ when message.Body.Length > 0 => message with { Body = string.Empty },
                _ => null,
            };
            if (erased is not null)
            {
                changed.Add(new Versioned<OutboundMessage>(erased, etag));
            }

            after.Add(erased ?? message);
        }

        var inFlight = after.Count(m => m.Status == MessageStatus.Sending);
        var current = record.Treatment.Value;
        var treatment = current;
        if (treatment.Status == TreatmentStatus.Active && record.Messages.Any(m => !m.Value.Status.IsSettled()))
        {
            // Marked first, in the same transaction: a dispatcher that claimed a message re-reads the treatment before it sends.
            treatment = treatment with { Status = TreatmentStatus.Cancelled, StatusReason = reason };
        }

        if (inFlight == 0 && treatment.ErasedAt is null)
        {
            treatment = treatment with { Client = treatment.Client.Erased(), ErasedAt = now, ErasureReason = reason };
        }

        var outcome = new TreatmentErasure(
            treatment.ErasedAt is not null,
            after.Count(m => m.Body.Length == 0),
            after.Count(m => m.Status == MessageStatus.Cancelled && m.StatusReason == reason),
            inFlight);
        return treatment == current && changed.Count == 0
            ? (null, changed, outcome)
            : (new Versioned<Treatment>(treatment, record.Treatment.ETag), changed, outcome);
    }
}

/// <summary>What one treatment holds after an erasure.</summary>
/// <param name="Erased">The client's name and phone are gone (false while a message is in flight).</param>
/// <param name="Messages">Messages whose text is gone.</param>
/// <param name="CancelledMessages">Messages cancelled for this erasure's reason.</param>
/// <param name="InFlightMessages">Messages a dispatcher is sending right now, left to it.</param>
public sealed record TreatmentErasure(bool Erased, int Messages, int CancelledMessages, int InFlightMessages)
{
    public ErasureCounts Counts => new(Erased ? 1 : 0, Messages, CancelledMessages);
}
