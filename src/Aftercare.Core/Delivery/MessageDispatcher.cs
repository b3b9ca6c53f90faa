using System.Collections.Concurrent;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// Drains the due index: every due message is read with its treatment, re-checked (cancelled, stale, quiet hours, opted
/// out), claimed with one ETag-conditional transaction over the message and its treatment row, sent once, and recorded:
/// three table round trips a text, plus a few a page (<see cref="DuePage"/>). Any number of drains may run at once, in
/// one process or many: a claim that loses the race is dropped, and a send whose outcome is unknown is looked up at the
/// provider before it is ever repeated. The text sent is made at the claim (<see cref="OutgoingText.Compose"/>): the
/// opt-out line when <see cref="OptOutLineRule"/> asks for it, never more than two segments. A text the provider refuses
/// for good puts a <c>message-failed</c> alert in <paramref name="alerts"/> before it is recorded as failed, so a crash
/// in between re-sends, is refused again, and meets the alert already stored (its id is deterministic). At most
/// <see cref="DispatchOptions.MaxParallelism"/> sends are in flight at the provider in one process (one instance),
/// however many drains it runs; twice as many texts are read and claimed meanwhile, so a free send slot never waits
/// for storage. Dispose it with its process.
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
    TimeProvider time) : IDisposable
{
    // Texts in flight at the provider from this process, across its drains: what the in-flight limit of an instance means.
    private readonly SemaphoreSlim _sendSlots = new(options.MaxParallelism, options.MaxParallelism);

    /// <inheritdoc />
    public void Dispose() => _sendSlots.Dispose();

    /// <summary>
    /// Drains every shard, one after the other, until nothing is due, after moving entries of the older index layout into
    /// their shards: what the dispatch timer does until the work fans out per shard. Reports the totals, once.
    /// </summary>
    public async Task<DispatchReport> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await MoveLegacyEntriesAsync(cancellationToken);
        var shards = await dueIndex.ShardCountAsync(options.Shards, cancellationToken);
        var clinicCache = new ConcurrentDictionary<string, Lazy<Task<Clinic?>>>(StringComparer.Ordinal);
        var tally = new DispatchTally();
        for (var shard = 0; shard < shards; shard++)
        {
            await DrainAsync(shard, Instant.MaxValue, clinicCache, tally, cancellationToken);
        }

        var report = tally.ToReport();
        events.SweepCompleted(report);
        return report;
    }

    /// <summary>
    /// Drains one shard (0 to the count <see cref="IDueIndex.ShardCountAsync"/> answers − 1): page by page of up to
    /// <see cref="DispatchOptions.BatchSize"/> entries, earliest first, <see cref="DispatchOptions.MaxParallelism"/> sends
    /// in flight (shared with the process's other drains), until nothing is due or <paramref name="deadline"/> (UTC) comes: no text is started at or after it,
    /// texts in flight finish (each within <see cref="DispatchOptions.SendDeadline"/>), and the page is committed. An
    /// entry left held (claimed elsewhere, not yet due) waits for the next drain. Clinics are read once a drain. A page
    /// whose index changes cannot be written (storage lost) ends the drain with the storage exception; what it sent is
    /// recorded on the message rows, so the next drain drops those entries.
    /// </summary>
    public async Task<DispatchReport> DrainShardAsync(int shard, Instant deadline, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, DispatchShards.MaxCount);
        var tally = new DispatchTally();
        await DrainAsync(shard, deadline, new(StringComparer.Ordinal), tally, cancellationToken);
        var report = tally.ToReport();
        events.SweepCompleted(report);
        return report;
    }

    /// <summary>
    /// Moves up to <see cref="DispatchOptions.BatchSize"/> entries of the older index layout (one partition per due
    /// minute) into their shards; one empty read once none are left. The fan-out calls it before it fans out.
    /// </summary>
    public Task<int> MoveLegacyEntriesAsync(CancellationToken cancellationToken) =>
        dueIndex.MoveLegacyEntriesAsync(options.BatchSize, cancellationToken);

    private async Task DrainAsync(
        int shard, Instant deadline, ConcurrentDictionary<string, Lazy<Task<Clinic?>>> clinicCache, DispatchTally tally, CancellationToken cancellationToken)
    {
        DueEntry? after = null;
        while (time.GetCurrentInstant() < deadline)
        {
            var due = await dueIndex.ListDueAsync(shard, time.GetCurrentInstant(), after, options.BatchSize, cancellationToken);
            if (due.Count == 0)
            {
                return;
            }

            // A treatment's entries go one after the other: each claim moves the treatment row's ETag, so siblings claimed
            // side by side would fail each other's claims; in turn, each reads what the one before it wrote. Twice the send
            // slots are worked on, so the reads, claims and records of some overlap the sends of others.
            var page = new DuePage(shard, dueIndex, optOuts, clientHistory);
            await Parallel.ForEachAsync(
                due.GroupBy(e => (e.ClinicId, e.TreatmentId)),
                new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism * 2, CancellationToken = cancellationToken },
                async (treatment, ct) =>
                {
                    foreach (var entry in treatment)
                    {
                        if (time.GetCurrentInstant() >= deadline)
                        {
                            tally.Add(DispatchOutcome.Held); // Not started: left for the next drain.
                            continue;
                        }

                        try
                        {
                            var clinic = await clinicCache.GetOrAdd(entry.ClinicId, id => new Lazy<Task<Clinic?>>(() => clinics.FindAsync(id, cancellationToken))).Value;
                            tally.Add(await DispatchAsync(entry, clinic, page, ct));
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                        {
                            tally.Faulted();
                            events.Faulted(entry.ClinicId, entry.StageId, ex);
                        }
                    }
                });

            await page.CommitAsync(time.GetCurrentInstant(), cancellationToken);
            tally.Taken(due.Count);
            if (due.Count < options.BatchSize)
            {
                return;
            }

            after = due[^1];
        }
    }

    /// <summary>
    /// One due entry. A claim that loses to a change since the read (a sibling message's claim moved the treatment's ETag,
    /// a cancellation, an erasure, a STOP) reads the treatment again once and decides again, so a cancellation settles the
    /// message now and a sibling claims in the same page; a second loss leaves the entry to the next drain.
    /// </summary>
    private async Task<DispatchOutcome> DispatchAsync(DueEntry entry, Clinic? clinic, DuePage page, CancellationToken ct)
    {
        var outcome = await DispatchOnceAsync(entry, clinic, page, ct);
        if (outcome == DispatchOutcome.Lost)
        {
            outcome = await DispatchOnceAsync(entry, clinic, page, ct);
        }

        return outcome == DispatchOutcome.Lost ? DispatchOutcome.Held : outcome;
    }

    private async Task<DispatchOutcome> DispatchOnceAsync(DueEntry entry, Clinic? clinic, DuePage page, CancellationToken ct)
    {
        var now = time.GetCurrentInstant();
        var record = await treatments.FindAsync(entry.ClinicId, entry.TreatmentId, ct);
        var found = record?.Messages.FirstOrDefault(m => m.Value.StageId == entry.StageId);
        if (record is null || found is null || clinic is null)
        {
            // Either a registration is still writing (keep the entry a while) or it never completed (drop it).
            if (now - entry.DueAt > options.OrphanGrace)
            {
                page.Remove(entry);
                return DispatchOutcome.Settled;
            }

            return DispatchOutcome.Held;
        }

        var treatment = record.Treatment.Value;
        var message = found;
        if (message.Value.Status.IsSettled())
        {
            page.Remove(entry);
            return DispatchOutcome.Settled;
        }

        if (message.Value.Status == MessageStatus.Sending)
        {
            if (message.Value.LeaseUntil > now)
            {
                return DispatchOutcome.Held;
            }

            if (await RecoverInDoubtAsync(entry, record, message, page, ct) is { } recovered)
            {
                return recovered;
            }
        }

        if (message.Value.DueAt > now)
        {
            return DispatchOutcome.Held;
        }

        var stop = await ReasonNotToSendAsync(treatment, message.Value, now, page, ct);
        if (stop is { } settle)
        {
            return await SettleAsync(entry, treatment, message, settle.Status, settle.Reason, errorCode: null, page, ct);
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(treatment.Client.TimeZoneId) ?? DateTimeZone.Utc;
        var opening = clinic.QuietHours.NextOpening(now, zone);
        if (opening > now)
        {
            page.Move(entry, opening);
            return DispatchOutcome.Deferred;
        }

        return await ClaimAndSendAsync(entry, clinic, record, message, now, page, ct);
    }

    private static async Task<(MessageStatus Status, string Reason)?> ReasonNotToSendAsync(Treatment treatment, OutboundMessage message, Instant now, DuePage page, CancellationToken ct)
    {
        if (treatment.Status == TreatmentStatus.Cancelled)
        {
            return (MessageStatus.Cancelled, TreatmentCanceller.Reason);
        }

        if (now >= message.ExpiresAt)
        {
            return (MessageStatus.Skipped, $"Stale: due {message.DueLocal:yyyy-MM-dd HH:mm} local, worth sending only until {message.ExpiresAt:yyyy-MM-dd HH:mm}Z.");
        }

        if (treatment.Status == TreatmentStatus.OptedOut || (await page.OptedOutAsync(treatment.ClinicId, ct)).Contains(treatment.Client.Phone))
        {
            return (MessageStatus.Suppressed, "The client opted out of texts from this clinic.");
        }

        return null;
    }

    private async Task<DispatchOutcome> ClaimAndSendAsync(
        DueEntry entry, Clinic clinic, TreatmentRecord record, Versioned<OutboundMessage> message, Instant now, DuePage page, CancellationToken ct)
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
        // The claim also guards the treatment row: a cancellation marks the treatment before its messages (and leaves a
        // claimed message alone), so one marked after this dispatcher's read fails the claim instead of being missed.
        var etag = await treatments.TryClaimMessageAsync(record.Treatment, claimed, message.ETag, ct);
        if (etag is null)
        {
            return DispatchOutcome.Lost;
        }

        var held = new Versioned<OutboundMessage>(claimed, etag);

        // A send may only start while the claim is young: if this process stalled (a pause, a slow storage call) and
        // the lease could already be running out, another dispatcher may take the message over; leave it to them.
        var remaining = now + options.SendDeadline - time.GetCurrentInstant();
        if (remaining <= Duration.Zero)
        {
            return DispatchOutcome.Held;
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
                await RecordSentAsync(entry, treatment, held, result.MessageId!, result.IsSimulated, sentNow: true, firstText, page, ct);
                return DispatchOutcome.Sent;

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
                page.Move(entry, retryAt);
                events.Deferred(treatment.ClinicId, claimed.StageId, result.Detail ?? "retry later");
                return DispatchOutcome.Deferred;

            case SmsOutcome.Rejected when result.Rejection == SmsRejection.Unsubscribed:
                await alerts.RaiseAsync(clinic, OptOutAlert.For(treatment, claimed.StageId, time.GetCurrentInstant()), ct);
                await optOuts.OptOutAsync(treatment.ClinicId, treatment.Client.Phone, "provider:" + result.ErrorCode, time.GetCurrentInstant(), ct);
                await SettleAsync(entry, treatment, held, MessageStatus.Suppressed, "The number is unsubscribed at the carrier (it replied STOP): " + result.Detail, result.ErrorCode, page, ct);
                var rest = await treatments.FindAsync(treatment.ClinicId, treatment.TreatmentId, ct);
                if (rest is not null)
                {
                    await MessageUpdates.SettlePendingAsync(treatments, rest, _ => true, MessageStatus.Suppressed, "The client opted out of texts from this clinic.", time, ct);
                }

                return DispatchOutcome.Settled;

            case SmsOutcome.Rejected when result.Rejection == SmsRejection.InvalidNumber:
                await alerts.RaiseAsync(clinic, MessageFailedAlert.For(treatment, claimed.StageId, result.ErrorCode, time.GetCurrentInstant()), ct);
                var failed = await SettleAsync(
                    entry, treatment, held, MessageStatus.Failed, "The number cannot receive texts (not a valid mobile number): " + result.Detail, result.ErrorCode, page, ct);
                await EndTreatmentForDeadNumberAsync(treatment, claimed.StageId, result.ErrorCode, ct);
                return failed;

            case SmsOutcome.Rejected:
                await alerts.RaiseAsync(clinic, MessageFailedAlert.For(treatment, claimed.StageId, result.ErrorCode, time.GetCurrentInstant()), ct);
                return await SettleAsync(entry, treatment, held, MessageStatus.Failed, "The provider refused the text: " + result.Detail, result.ErrorCode, page, ct);

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
                return DispatchOutcome.InDoubt;
        }
    }

    /// <summary>
    /// Sends once a send slot is free, all before <paramref name="remaining"/> runs out. A claim that finds no free slot in
    /// time was never offered to the provider: it is released for later, not in doubt.
    /// </summary>
    private async Task<SmsSendResult> SendBeforeDeadlineAsync(SmsRequest request, Duration remaining, CancellationToken ct)
    {
        var sendBy = time.GetCurrentInstant() + remaining;
        using var deadline = new CancellationTokenSource(remaining.ToTimeSpan(), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await _sendSlots.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return NoSlot();
        }

        // A slot freed as the deadline passed (the clock says so before the deadline's token may): never offered, not in doubt.
        if (time.GetCurrentInstant() >= sendBy)
        {
            _sendSlots.Release();
            return NoSlot();
        }

        try
        {
            return await sms.SendAsync(request, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return SmsSendResult.InDoubt($"The send did not finish within {options.SendDeadline.TotalSeconds:0} s.");
        }
        finally
        {
            _sendSlots.Release();
        }

        SmsSendResult NoSlot() => SmsSendResult.RetryLaterAfter(null, null, $"No send slot came free within {options.SendDeadline.TotalSeconds:0} s.");
    }

    /// <summary>
    /// A claim expired without a recorded outcome (a crash, or an in-doubt send). If the provider holds the text, it
    /// was sent: record it. Otherwise null: the message is still claimable, for an ordinary send.
    /// </summary>
    private async Task<DispatchOutcome?> RecoverInDoubtAsync(DueEntry entry, TreatmentRecord record, Versioned<OutboundMessage> message, DuePage page, CancellationToken ct)
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
        return await RecordSentAsync(entry, treatment, message, match.MessageId, match.IsSimulated, sentNow: false, firstText, page, ct) ? DispatchOutcome.Sent : DispatchOutcome.Held;
    }

    private const string SimulatedReason = "Printed to the console only: Twilio is not configured.";

    /// <summary>
    /// Records the provider's id. False, with nothing reported, when a recovery lost the write to someone else (the next
    /// sweep sees what they wrote); a text this dispatcher has just sent is always reported. A text that was a number's
    /// first, as far as anyone knew, is also noted in the client's history at the end of the page (batched per clinic), so
    /// later treatments know; a crash before that only means the next treatment's first text carries the opt-out line too.
    /// A <paramref name="simulated"/> text (only printed, no provider) is recorded as <see cref="MessageStatus.Simulated"/>
    /// and never in the history: the number has still not received a text.
    /// </summary>
    private async Task<bool> RecordSentAsync(
        DueEntry entry, Treatment treatment, Versioned<OutboundMessage> held, string providerMessageId, bool simulated, bool sentNow, bool firstText, DuePage page, CancellationToken ct)
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
            page.Remove(entry);
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
            page.FirstTextSent(treatment.ClinicId, treatment.Client.Phone);
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

    private async Task<DispatchOutcome> SettleAsync(
        DueEntry entry, Treatment treatment, Versioned<OutboundMessage> message, MessageStatus status, string reason, string? errorCode, DuePage page, CancellationToken ct)
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
            return DispatchOutcome.Held; // Changed under us; the next drain sees the new state.
        }

        page.Remove(entry);
        events.Settled(treatment.ClinicId, message.Value.StageId, status, reason, errorCode);
        return DispatchOutcome.Settled;
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
