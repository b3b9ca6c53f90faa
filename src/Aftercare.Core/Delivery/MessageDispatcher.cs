using System.Collections.Concurrent;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// One sweep of the due index: every due message is claimed with an ETag-conditional update, re-checked (cancelled,
/// stale, quiet hours, opted out), sent once, and recorded. Any number of sweeps may run at once, in one process or
/// many: a claim that loses the race is dropped, and a send whose outcome is unknown is looked up at the provider
/// before it is ever repeated. The text sent is made at the claim (<see cref="OutgoingText.Compose"/>): the opt-out
/// line when <see cref="OptOutLineRule"/> asks for it, never more than two segments. A text the provider refuses for
/// good puts a <c>message-failed</c> alert in <paramref name="alerts"/> before it is recorded as failed, so a crash
/// in between re-sends, is refused again, and meets the alert already stored (its id is deterministic).
/// </summary>
public sealed class MessageDispatcher(
    ITreatmentStore treatments,
    IDueIndex dueIndex,
    IClinicStore clinics,
    IOptOutStore optOuts,
    IClientHistory clientHistory,
    IAlertOutbox alerts,
    ISmsSender sms,
    IDeliveryEvents events,
    DispatchOptions options,
    TimeProvider time)
{
    private enum Outcome
    {
        Sent,
        Settled,
        Deferred,
        InDoubt,
        Held,
    }

    public async Task<DispatchReport> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var due = await dueIndex.ListDueAsync(time.GetCurrentInstant(), options.BatchSize, cancellationToken);
        // Lazy: GetOrAdd may run its factory more than once when entries of one clinic start together; one look-up a sweep.
        var clinicCache = new ConcurrentDictionary<string, Lazy<Task<Clinic?>>>();
        var outcomes = new ConcurrentBag<Outcome>();
        var faulted = 0;

        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                try
                {
                    var clinic = await clinicCache.GetOrAdd(entry.ClinicId, id => new Lazy<Task<Clinic?>>(() => clinics.FindAsync(id, cancellationToken))).Value;
                    outcomes.Add(await DispatchAsync(entry, clinic, ct));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref faulted);
                    events.Faulted(entry.ClinicId, entry.StageId, ex);
                }
            });

        var report = new DispatchReport(
            Due: due.Count,
            Sent: outcomes.Count(o => o == Outcome.Sent),
            Settled: outcomes.Count(o => o == Outcome.Settled),
            Deferred: outcomes.Count(o => o == Outcome.Deferred),
            InDoubt: outcomes.Count(o => o == Outcome.InDoubt),
            Held: outcomes.Count(o => o == Outcome.Held),
            Faulted: faulted);
        events.SweepCompleted(report);
        return report;
    }

    private async Task<Outcome> DispatchAsync(DueEntry entry, Clinic? clinic, CancellationToken ct)
    {
        var now = time.GetCurrentInstant();
        var record = await treatments.FindAsync(entry.ClinicId, entry.TreatmentId, ct);
        var found = record?.Messages.FirstOrDefault(m => m.Value.StageId == entry.StageId);
        if (record is null || found is null || clinic is null)
        {
            // Either a registration is still writing (keep the entry a while) or it never completed (drop it).
            if (now - entry.DueAt > options.OrphanGrace)
            {
                await dueIndex.RemoveAsync(entry, ct);
                return Outcome.Settled;
            }

            return Outcome.Held;
        }

        var treatment = record.Treatment.Value;
        var message = found;
        if (message.Value.Status.IsSettled())
        {
            await dueIndex.RemoveAsync(entry, ct);
            return Outcome.Settled;
        }

        if (message.Value.Status == MessageStatus.Sending)
        {
            if (message.Value.LeaseUntil > now)
            {
                return Outcome.Held;
            }

            if (await RecoverInDoubtAsync(entry, record, message, now, ct) is { } recovered)
            {
                return recovered;
            }
        }

        if (message.Value.DueAt > now)
        {
            return Outcome.Held;
        }

        var stop = await ReasonNotToSendAsync(treatment, message.Value, now, ct);
        if (stop is { } settle)
        {
            return await SettleAsync(entry, treatment, message, settle.Status, settle.Reason, errorCode: null, ct);
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(treatment.Client.TimeZoneId) ?? DateTimeZone.Utc;
        var opening = clinic.QuietHours.NextOpening(now, zone);
        if (opening > now)
        {
            await MoveAsync(entry, opening, ct);
            return Outcome.Deferred;
        }

        return await ClaimAndSendAsync(entry, clinic, record, message, now, ct);
    }

    private async Task<(MessageStatus Status, string Reason)?> ReasonNotToSendAsync(Treatment treatment, OutboundMessage message, Instant now, CancellationToken ct)
    {
        if (treatment.Status == TreatmentStatus.Cancelled)
        {
            return (MessageStatus.Cancelled, TreatmentCanceller.Reason);
        }

        if (now >= message.ExpiresAt)
        {
            return (MessageStatus.Skipped, $"Stale: due {message.DueLocal:yyyy-MM-dd HH:mm} local, worth sending only until {message.ExpiresAt:yyyy-MM-dd HH:mm}Z.");
        }

        if (treatment.Status == TreatmentStatus.OptedOut || await optOuts.IsOptedOutAsync(treatment.ClinicId, treatment.Client.Phone, ct))
        {
            return (MessageStatus.Suppressed, "The client opted out of texts from this clinic.");
        }

        return null;
    }

    private async Task<Outcome> ClaimAndSendAsync(DueEntry entry, Clinic clinic, TreatmentRecord record, Versioned<OutboundMessage> message, Instant now, CancellationToken ct)
    {
        // The claim stores the text exactly as it will be sent, so a send in doubt is looked for by that text.
        var treatment = record.Treatment.Value;
        var firstText = OptOutLineRule.IsNeeded(record, message.Value);
        var text = OutgoingText.Compose(message.Value.Body, treatment.Client.FirstName, message.Value.Locale ?? treatment.Client.Locale, firstText);
        var claimed = message.Value with
        {
            Body = text.Text,
            Encoding = text.Encoding,
            Segments = text.Segments,
            Status = MessageStatus.Sending,
            ClaimedAt = now,
            LeaseUntil = now + options.Lease,
            Attempts = message.Value.Attempts + 1,
            UpdatedAt = now,
        };
        var etag = await treatments.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, claimed, message.ETag, ct);
        if (etag is null)
        {
            return Outcome.Held; // Another dispatcher claimed it first.
        }

        // The claim guards the message row only. A cancellation marks the treatment before its messages, so one marked
        // after this dispatcher read the treatment must still stop the send: the canceller leaves a claimed message alone.
        var held = new Versioned<OutboundMessage>(claimed, etag);
        if ((await treatments.FindAsync(treatment.ClinicId, treatment.TreatmentId, ct))?.Treatment.Value.Status == TreatmentStatus.Cancelled)
        {
            return await SettleAsync(entry, treatment, held, MessageStatus.Cancelled, TreatmentCanceller.Reason, errorCode: null, ct);
        }

        // A send may only start while the claim is young: if this process stalled (a pause, a slow storage call) and
        // the lease could already be running out, another dispatcher may take the message over; leave it to them.
        var remaining = now + options.SendDeadline - time.GetCurrentInstant();
        if (remaining <= Duration.Zero)
        {
            return Outcome.Held;
        }

        var request = new SmsRequest(treatment.Client.Phone, clinic.SenderPhone, clinic.MessagingServiceSid, claimed.Body, StatusCallbackFor(entry))
        {
            ClinicId = treatment.ClinicId,
            StageId = claimed.StageId,
        };
        var result = await SendBeforeDeadlineAsync(request, remaining, ct);
        switch (result.Outcome)
        {
            case SmsOutcome.Accepted:
                await RecordSentAsync(entry, treatment, held, result.MessageId!, result.IsSimulated, sentNow: true, firstText, ct);
                return Outcome.Sent;

            case SmsOutcome.RetryLater:
                var retryAt = time.GetCurrentInstant() + Duration.Max(options.MinimumRetryDelay, Duration.FromTimeSpan(result.RetryAfter ?? TimeSpan.Zero));
                var released = claimed with
                {
                    Status = MessageStatus.Scheduled,
                    ClaimedAt = null,
                    LeaseUntil = null,
                    StatusReason = "Deferred: " + result.Detail,
                    ErrorCode = result.ErrorCode,
                    UpdatedAt = time.GetCurrentInstant(),
                };
                await treatments.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, released, etag, ct);
                await MoveAsync(entry, retryAt, ct);
                events.Deferred(treatment.ClinicId, claimed.StageId, result.Detail ?? "retry later");
                return Outcome.Deferred;

            case SmsOutcome.Rejected when result.Rejection == SmsRejection.Unsubscribed:
                await alerts.RaiseAsync(clinic, OptOutAlert.For(treatment, claimed.StageId, time.GetCurrentInstant()), ct);
                await optOuts.OptOutAsync(treatment.ClinicId, treatment.Client.Phone, "provider:" + result.ErrorCode, time.GetCurrentInstant(), ct);
                await SettleAsync(entry, treatment, held, MessageStatus.Suppressed, "The number is unsubscribed at the carrier (it replied STOP): " + result.Detail, result.ErrorCode, ct);
                var rest = await treatments.FindAsync(treatment.ClinicId, treatment.TreatmentId, ct);
                if (rest is not null)
                {
                    await MessageUpdates.SettlePendingAsync(treatments, rest, _ => true, MessageStatus.Suppressed, "The client opted out of texts from this clinic.", time, ct);
                }

                return Outcome.Settled;

            case SmsOutcome.Rejected when result.Rejection == SmsRejection.InvalidNumber:
                await alerts.RaiseAsync(clinic, MessageFailedAlert.For(treatment, claimed.StageId, result.ErrorCode, time.GetCurrentInstant()), ct);
                var failed = await SettleAsync(
                    entry, treatment, held, MessageStatus.Failed, "The number cannot receive texts (not a valid mobile number): " + result.Detail, result.ErrorCode, ct);
                await EndTreatmentForDeadNumberAsync(treatment, claimed.StageId, result.ErrorCode, ct);
                return failed;

            case SmsOutcome.Rejected:
                await alerts.RaiseAsync(clinic, MessageFailedAlert.For(treatment, claimed.StageId, result.ErrorCode, time.GetCurrentInstant()), ct);
                return await SettleAsync(entry, treatment, held, MessageStatus.Failed, "The provider refused the text: " + result.Detail, result.ErrorCode, ct);

            default:
                // In doubt: keep the claim, and look for the text at the provider before anything is sent again.
                var inDoubt = claimed with
                {
                    LeaseUntil = time.GetCurrentInstant() + options.InDoubtRecheck,
                    StatusReason = "In doubt: " + result.Detail,
                    UpdatedAt = time.GetCurrentInstant(),
                };
                await treatments.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, inDoubt, etag, ct);
                events.InDoubt(treatment.ClinicId, claimed.StageId, result.Detail ?? "unknown outcome");
                return Outcome.InDoubt;
        }
    }

    private async Task<SmsSendResult> SendBeforeDeadlineAsync(SmsRequest request, Duration remaining, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(remaining.ToTimeSpan(), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            return await sms.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return SmsSendResult.InDoubt($"The send did not finish within {options.SendDeadline.TotalSeconds:0} s.");
        }
    }

    /// <summary>
    /// A claim expired without a recorded outcome (a crash, or an in-doubt send). If the provider holds the text, it
    /// was sent: record it. Otherwise null: the message is still claimable, for an ordinary send.
    /// </summary>
    private async Task<Outcome?> RecoverInDoubtAsync(DueEntry entry, TreatmentRecord record, Versioned<OutboundMessage> message, Instant now, CancellationToken ct)
    {
        var treatment = record.Treatment.Value;
        var since = (message.Value.ClaimedAt ?? message.Value.DueAt) - Duration.FromMinutes(1);
        var sent = await sms.FindSentAsync(treatment.Client.Phone, since, ct);
        var match = sent.FirstOrDefault(s => SmsText.SameText(s.Body, message.Value.Body) && s.CreatedAt >= since);
        if (match is null)
        {
            return null;
        }

        // Another dispatcher recovering the same message may have recorded it first; then it, not this one, reports it.
        var firstText = OptOutLineRule.IsNeeded(record, message.Value);
        return await RecordSentAsync(entry, treatment, message, match.MessageId, match.IsSimulated, sentNow: false, firstText, ct) ? Outcome.Sent : Outcome.Held;
    }

    private const string SimulatedReason = "Printed to the console only: Twilio is not configured.";

    /// <summary>
    /// Records the provider's id. False, with nothing reported, when a recovery lost the write to someone else (the next
    /// sweep sees what they wrote); a text this dispatcher has just sent is always reported. A text that was a number's
    /// first, as far as anyone knew, is also written to the client's history (one round trip), so later treatments know.
    /// A <paramref name="simulated"/> text (only printed, no provider) is recorded as <see cref="MessageStatus.Simulated"/>
    /// and never in the history: the number has still not received a text.
    /// </summary>
    private async Task<bool> RecordSentAsync(
        DueEntry entry, Treatment treatment, Versioned<OutboundMessage> held, string providerMessageId, bool simulated, bool sentNow, bool firstText, CancellationToken ct)
    {
        var now = time.GetCurrentInstant();
        var sent = held.Value with
        {
            Status = simulated ? MessageStatus.Simulated : MessageStatus.Sent,
            ProviderMessageId = providerMessageId,
            SentAt = now,
            LeaseUntil = null,
            StatusReason = null,
            ErrorCode = null,
            UpdatedAt = now,
        };

        var recorded = await treatments.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, sent, held.ETag, ct) is not null;
        if (!recorded && !sentNow)
        {
            return false;
        }

        // A fresh send whose record lost a race: usually a status callback got there first (settled: the entry goes).
        // If the message is still pending, another dispatcher owns it now and its entry must stay for it.
        if (recorded || (await treatments.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, held.Value.StageId, ct))?.Value.Status.IsSettled() != false)
        {
            await dueIndex.RemoveAsync(entry, ct);
        }

        if (simulated)
        {
            // Only printed: operators must not count it as a text that left (MessageSent); it settles as simulated.
            events.Settled(treatment.ClinicId, held.Value.StageId, MessageStatus.Simulated, SimulatedReason, null);
        }
        else
        {
            events.Sent(treatment.ClinicId, held.Value.StageId, now - held.Value.DueAt);
        }

        if (firstText && !simulated)
        {
            await clientHistory.RecordTextedAsync(treatment.ClinicId, treatment.Client.Phone, now, ct);
        }

        return true;
    }

    /// <summary>
    /// The provider called the number invalid or not mobile (Twilio 21211, 21614): no later text can reach it either, so
    /// the treatment's other pending messages end as skipped — never offered to the provider, unlike the failed one —
    /// with the reason and the code, each reported. A message another dispatcher claimed meanwhile is left to it (the
    /// provider refuses it the same way); one it has yet to claim can no longer be: its ETag changed.
    /// </summary>
    private async Task EndTreatmentForDeadNumberAsync(Treatment treatment, string failedStageId, string? errorCode, CancellationToken ct)
    {
        var record = await treatments.FindAsync(treatment.ClinicId, treatment.TreatmentId, ct);
        if (record is null)
        {
            return;
        }

        var reason = $"Not sent: the number cannot receive texts (Twilio error {errorCode ?? "unknown"} on {failedStageId}).";
        var ended = await MessageUpdates.SettlePendingAsync(
            treatments, record, m => m.StageId != failedStageId, MessageStatus.Skipped, reason, errorCode, time, ct);
        foreach (var message in ended)
        {
            events.Settled(treatment.ClinicId, message.StageId, MessageStatus.Skipped, reason, errorCode);
        }
    }

    private async Task<Outcome> SettleAsync(DueEntry entry, Treatment treatment, Versioned<OutboundMessage> message, MessageStatus status, string reason, string? errorCode, CancellationToken ct)
    {
        var settled = message.Value with
        {
            Status = status,
            StatusReason = reason,
            ErrorCode = errorCode,
            LeaseUntil = null,
            UpdatedAt = time.GetCurrentInstant(),
        };
        if (await treatments.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, settled, message.ETag, ct) is null)
        {
            return Outcome.Held; // Changed under us; the next sweep sees the new state.
        }

        await dueIndex.RemoveAsync(entry, ct);
        events.Settled(treatment.ClinicId, message.Value.StageId, status, reason, errorCode);
        return Outcome.Settled;
    }

    private async Task MoveAsync(DueEntry entry, Instant dueAt, CancellationToken ct)
    {
        await dueIndex.AddAsync([entry with { DueAt = dueAt }], ct);
        await dueIndex.RemoveAsync(entry, ct);
    }

    private Uri? StatusCallbackFor(DueEntry entry)
    {
        if (options.StatusCallbackUrl is not { } url)
        {
            return null;
        }

        var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
        return new Uri($"{url}{separator}clinic={Uri.EscapeDataString(entry.ClinicId)}&treatment={Uri.EscapeDataString(entry.TreatmentId)}&stage={Uri.EscapeDataString(entry.StageId)}");
    }
}
