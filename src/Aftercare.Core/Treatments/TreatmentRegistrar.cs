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
/// so that a crash at any point loses nothing and a retry duplicates nothing.
/// </summary>
public sealed class TreatmentRegistrar(
    ITreatmentStore treatments,
    IDueIndex dueIndex,
    IOptOutStore optOuts,
    IClientHistory clientHistory,
    IRetentionIndex retention,
    IPlanCatalog plans,
    TimeProvider time)
{
    public const string OptedOutReason = "The client's number has opted out of texts from this clinic (replied STOP); nothing is scheduled.";

    public async Task<RegistrationResult> RegisterAsync(Clinic clinic, RegisterTreatment command, CancellationToken cancellationToken)
    {
        var treatmentId = TreatmentIds.For(clinic.Id, command.ExternalId);
        var existing = await treatments.FindAsync(clinic.Id, treatmentId, cancellationToken);
        if (existing is not null)
        {
            return await RepeatedAsync(existing, command, cancellationToken);
        }

        var now = time.GetCurrentInstant();
        var (planned, messages) = await PlanAsync(clinic, treatmentId, command, now, cancellationToken);

        // The client's history is recorded before the treatment is written, so the treatment can keep what it says (has
        // this number had a text from the clinic?). A crash in between leaves an id without a treatment, which readers
        // skip and a retry records again.
        var history = await clientHistory.RecordAsync(clinic.Id, command.Phone, treatmentId, cancellationToken);
        var treatment = planned with { ClientTextedBefore = history.Texted };

        // The index goes first: an entry whose treatment never lands is dropped by the dispatcher, whereas a treatment
        // whose entries never landed would never be sent.
        var entries = messages
            .Where(m => m.Status == MessageStatus.Scheduled)
            .Select(m => new DueEntry(m.DueAt, clinic.Id, treatmentId, m.StageId))
            .ToList();
        if (entries.Count > 0)
        {
            await dueIndex.AddAsync(entries, cancellationToken);
        }

        // So is the retention entry: one without its treatment is dropped by the retention sweep.
        await retention.AddAsync(RetentionEntry.ForNewTreatment(treatment), cancellationToken);

        // What was written is what is stored, so only a registration that lost a race to a concurrent one reads it back.
        if (!await treatments.TryCreateAsync(treatment, messages, cancellationToken))
        {
            var winner = await treatments.FindAsync(clinic.Id, treatmentId, cancellationToken)
                ?? throw new InvalidOperationException("A treatment reported as existing could not be read.");
            return await RepeatedAsync(winner, command, cancellationToken);
        }

        var rebooked = await CancelRebookingPromptsAsync(treatment, history.EarlierTreatmentIds, cancellationToken);
        return new RegistrationResult(Created: true, treatment, messages) { RebookPromptsCancelled = rebooked };
    }

    /// <summary>
    /// The external id is already registered: the same registration again is answered with what is stored; a different
    /// one is refused with the fields that differ, and changes nothing (<see cref="RegistrationComparison"/>).
    /// </summary>
    private async Task<RegistrationResult> RepeatedAsync(TreatmentRecord stored, RegisterTreatment command, CancellationToken cancellationToken)
    {
        var differing = RegistrationComparison.DifferingFields(stored.Treatment.Value, command);
        if (differing.Count > 0)
        {
            return RegistrationResult.Conflict(stored, differing);
        }

        // An erased treatment has no phone to find the client by, and its client's history is closed.
        var rebooked = stored.Treatment.Value.ErasedAt is null
            ? await SupersedeEarlierTreatmentsAsync(stored.Treatment.Value, cancellationToken)
            : 0;
        return RegistrationResult.Existing(stored) with { RebookPromptsCancelled = rebooked };
    }

    private async Task<(Treatment Treatment, List<OutboundMessage> Messages)> PlanAsync(
        Clinic clinic, string treatmentId, RegisterTreatment command, Instant now, CancellationToken cancellationToken)
    {
        var plan = plans.Choose(command.Details);
        var zoneId = command.TimeZoneId ?? clinic.TimeZoneId;
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var context = new MessageContext(command.Locale ?? clinic.DefaultLocale, command.FirstName, clinic);
        var optedOut = await optOuts.IsOptedOutAsync(clinic.Id, command.Phone, cancellationToken);

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

    /// <summary>
    /// A client registered again at the same clinic has rebooked: the rebooking prompts of their earlier treatments
    /// are cancelled. Runs on every registration, including a retried one, so a crash between the writes heals.
    /// </summary>
    private async Task<int> SupersedeEarlierTreatmentsAsync(Treatment treatment, CancellationToken cancellationToken)
    {
        var history = await clientHistory.RecordAsync(treatment.ClinicId, treatment.Client.Phone, treatment.TreatmentId, cancellationToken);
        return await CancelRebookingPromptsAsync(treatment, history.EarlierTreatmentIds, cancellationToken);
    }

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
