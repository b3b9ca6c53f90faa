using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using Aftercare.Core.Privacy;
using Aftercare.Core.Scheduling;
using NodaTime;

namespace Aftercare.Core.Treatments;

/// <summary>
/// Registers a treatment: chooses its plan, schedules and renders every stage in the client's zone, and writes it
/// so that a crash at any point loses nothing and a retry duplicates nothing. A new client's registration is four
/// storage round trips and no existence query: the client history's read and write (which also say whether the number
/// opted out, and whether the id is recorded already), one transaction of all the treatment's index rows with its
/// registration mark (which refuses an id registered before, writing nothing), and the treatment's own transaction
/// (whose refusal answers a race with a concurrent registration).
/// </summary>
public sealed class TreatmentRegistrar(
    ITreatmentStore treatments,
    ITreatmentIndex index,
    IClientHistory clientHistory,
    IPlanCatalog plans,
    TimeProvider time)
{
    public const string OptedOutReason = "The client's number has opted out of texts from this clinic (replied STOP); nothing is scheduled.";

    public async Task<RegistrationResult> RegisterAsync(Clinic clinic, RegisterTreatment command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        ArgumentNullException.ThrowIfNull(command);
        var treatmentId = TreatmentIds.For(clinic.Id, command.ExternalId);

        // The client's history is recorded first, so the treatment can keep what it says (has this number had a text from
        // the clinic? has it opted out?). A crash after it leaves an id without a treatment, which readers skip and a
        // retry completes. An opt-out landing after it finds the id in the history but maybe not the treatment yet: the
        // dispatcher's send-time opt-out check suppresses what this schedules.
        var history = await clientHistory.RecordAsync(clinic.Id, command.Phone, treatmentId, cancellationToken);
        if (history.AlreadyRecorded && await treatments.FindAsync(clinic.Id, treatmentId, cancellationToken) is { } known)
        {
            return await RepeatedAsync(known, command, history, cancellationToken);
        }

        var now = time.GetCurrentInstant();
        var (planned, messages) = Plan(clinic, treatmentId, command, history.OptedOut, now);
        var treatment = planned with { ClientTextedBefore = history.Texted };

        // The index goes before the treatment: an entry whose treatment never lands is dropped by the dispatcher (and a
        // retention entry by the retention sweep), whereas a treatment whose entries never landed would never be sent.
        // Its registration mark answers "registered already" before anything is written, unless a registration of this
        // id wrote its index and no treatment (crashed, or still writing): then this one completes it.
        var entries = messages
            .Where(m => m.Status == MessageStatus.Scheduled)
            .Select(m => new DueEntry(m.DueAt, clinic.Id, treatmentId, m.StageId))
            .ToList();
        var retention = RetentionEntry.ForNewTreatment(treatment);
        if (!await index.TryAddAsync(entries, retention, cancellationToken))
        {
            if (await treatments.FindAsync(clinic.Id, treatmentId, cancellationToken) is { } registered)
            {
                await ForgetIfNotTheClientsAsync(registered.Treatment.Value, command, history, cancellationToken);
                return await RepeatedAsync(registered, command, history, cancellationToken);
            }

            await index.AddAsync(entries, retention, cancellationToken);
        }

        // What was written is what is stored, so only a registration that finds the id taken reads it back.
        if (!await treatments.TryCreateAsync(treatment, messages, cancellationToken))
        {
            var stored = await treatments.FindAsync(clinic.Id, treatmentId, cancellationToken)
                ?? throw new InvalidOperationException("A treatment reported as existing could not be read.");
            await ForgetIfNotTheClientsAsync(stored.Treatment.Value, command, history, cancellationToken);
            return await RepeatedAsync(stored, command, history, cancellationToken);
        }

        var rebooked = await CancelRebookingPromptsAsync(treatment, history.EarlierTreatmentIds, cancellationToken);
        return new RegistrationResult(Created: true, treatment, messages) { RebookPromptsCancelled = rebooked };
    }

    /// <summary>
    /// The id was taken by a registration of another number (a conflicting repeat) or by a treatment erased since: this
    /// one recorded it in its number's history, which must not point at someone else's treatment.
    /// </summary>
    private async Task ForgetIfNotTheClientsAsync(Treatment stored, RegisterTreatment command, ClientHistory history, CancellationToken cancellationToken)
    {
        if (!history.AlreadyRecorded && (stored.ErasedAt is not null || stored.Client.Phone != command.Phone))
        {
            await clientHistory.ForgetAsync(stored.ClinicId, command.Phone, stored.TreatmentId, cancellationToken);
        }
    }

    /// <summary>
    /// The external id is already registered: the same registration again is answered with what is stored; a different
    /// one is refused with the fields that differ, and changes nothing (<see cref="RegistrationComparison"/>).
    /// </summary>
    private async Task<RegistrationResult> RepeatedAsync(TreatmentRecord stored, RegisterTreatment command, ClientHistory history, CancellationToken cancellationToken)
    {
        var differing = RegistrationComparison.DifferingFields(stored.Treatment.Value, command);
        if (differing.Count > 0)
        {
            return RegistrationResult.Conflict(stored, differing);
        }

        // An erased treatment has no phone to find the client by, and its client's history is closed. Otherwise the
        // history was recorded for this number above (the same as the stored one: no field differs).
        var rebooked = stored.Treatment.Value.ErasedAt is null
            ? await CancelRebookingPromptsAsync(stored.Treatment.Value, history.EarlierTreatmentIds, cancellationToken)
            : 0;
        return RegistrationResult.Existing(stored) with { RebookPromptsCancelled = rebooked };
    }

    private (Treatment Treatment, List<OutboundMessage> Messages) Plan(
        Clinic clinic, string treatmentId, RegisterTreatment command, bool optedOut, Instant now)
    {
        var plan = plans.Choose(command.Details);
        var zoneId = command.TimeZoneId ?? clinic.TimeZoneId;
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var context = new MessageContext(command.Locale ?? clinic.DefaultLocale, command.FirstName, clinic);

        var messages = new List<OutboundMessage>();
        foreach (var slot in StageScheduler.Schedule(plan, command.Details.PerformedAt.ToInstant(), zone, clinic.QuietHours))
        {
            var rendered = MessageRenderer.Render(slot.Stage, context);
            var (status, reason) = optedOut
                ? (MessageStatus.Suppressed, "The number had opted out when the treatment was registered.")
                : slot.ExpiresAt <= now
                    ? (MessageStatus.Skipped, "Already stale when the treatment was registered.")
                    : (MessageStatus.Scheduled, (string?)null);
            messages.Add(ToMessage(slot, rendered, status, reason, now));
        }

        var treatment = new Treatment
        {
            ClinicId = clinic.Id,
            TreatmentId = treatmentId,
            ExternalId = command.ExternalId,
            Client = new ClientDetails(command.FirstName, command.Phone, context.Locale, zoneId),
            Details = command.Details,
            Consent = command.Consent,
            PlanId = plan.Id,
            Status = optedOut ? TreatmentStatus.OptedOut : TreatmentStatus.Active,
            StatusReason = optedOut ? OptedOutReason : null,
            RegisteredAt = now,
        };
        return (treatment, messages);
    }

    private static OutboundMessage ToMessage(StageSlot slot, RenderedSms rendered, MessageStatus status, string? reason, Instant now) => new()
    {
        StageId = slot.Stage.Id,
        Sequence = slot.Sequence,
        DueAt = slot.DueAt,
        DueLocal = slot.DueLocal,
        ExpiresAt = slot.ExpiresAt,
        Body = rendered.Text,
        Locale = rendered.Locale,
        Encoding = rendered.Encoding,
        Segments = rendered.Segments,
        CancelOnRebook = slot.Stage.CancelOnRebook,
        Status = status,
        StatusReason = reason,
        UpdatedAt = now,
    };

    /// <summary>Returns how many prompts it cancelled (none again on a retry: settled messages stay settled).</summary>
    private async Task<int> CancelRebookingPromptsAsync(Treatment treatment, IReadOnlyList<string> earlierTreatmentIds, CancellationToken cancellationToken)
    {
        var cancelled = 0;
        foreach (var earlierId in earlierTreatmentIds)
        {
            var record = await treatments.FindAsync(treatment.ClinicId, earlierId, cancellationToken);
            if (record is null || record.Treatment.Value.RegisteredAt > treatment.RegisteredAt)
            {
                continue;
            }

            cancelled += await MessageUpdates.SettlePendingAsync(
                treatments, record, m => m.CancelOnRebook, MessageStatus.Cancelled, "The client booked another treatment.", time, cancellationToken);
        }

        return cancelled;
    }
}
