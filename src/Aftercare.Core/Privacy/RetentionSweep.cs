using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Privacy;

/// <summary>
/// The retention sweep (a daily timer): erases the personal data of treatments whose last message settled more than
/// <see cref="RetentionOptions.Period"/> ago, and finishes erasures that waited for a text in flight. It reads only the
/// retention index's entries that may be due, so its cost follows what is due, not the history. An entry whose treatment
/// turns out not to be due yet moves to the day its last message settled (a message still scheduled settles when it
/// goes stale, at the latest; one being sent holds the entry to today), beyond what this sweep reads, so every entry
/// read is dealt with once. Entries of the cut-off day itself wait for the next run: data goes on the first run after
/// its period ends, at most a day late.
/// </summary>
public sealed class RetentionSweep(
    IRetentionIndex index,
    ITreatmentStore treatments,
    IClientHistory history,
    TreatmentEraser eraser,
    ClientErasure clientErasure,
    RetentionOptions options,
    TimeProvider time)
{
    private enum Outcome
    {
        Erased,
        Rescheduled,
        Removed,
    }

    /// <summary>The reason erased treatments show on their timeline.</summary>
    public string Reason => $"Personal data erased {options.Period.Days} days after the treatment's last message settled (retention period).";

    /// <summary>Works through every due entry, page by page. An entry that fails stays for the next run and is counted as faulted.</summary>
    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetCurrentInstant();
        var today = now.InUtc().Date;
        var report = new RetentionReport(0, 0, 0, 0, []);
        report += await SweepAsync(RetentionReason.Settled, (now - options.Period).InUtc().Date.PlusDays(-1), entry => SettledAsync(entry, now, cancellationToken), cancellationToken);
        report += await SweepAsync(RetentionReason.ErasureRequested, today, entry => RequestedAsync(entry, today, cancellationToken), cancellationToken);
        return report;
    }

    private async Task<RetentionReport> SweepAsync(RetentionReason reason, LocalDate upTo, Func<RetentionEntry, Task<Outcome>> handle, CancellationToken cancellationToken)
    {
        var seen = new HashSet<RetentionEntry>();
        var outcomes = new List<Outcome>();
        var failures = new List<RetentionFailure>();
        while (true)
        {
            var page = await index.ListDueAsync(reason, upTo, options.PageSize, cancellationToken);
            var fresh = page.Where(seen.Add).ToList();
            foreach (var entry in fresh)
            {
                try
                {
                    outcomes.Add(await handle(entry));
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures.Add(new RetentionFailure(entry, ex));
                }
            }

            // Every entry handled leaves the range read, so a short page was the last; one of entries seen already holds
            // only ones that failed.
            if (page.Count < options.PageSize || fresh.Count == 0)
            {
                break;
            }
        }

        return new RetentionReport(
            Examined: seen.Count,
            Erased: outcomes.Count(o => o == Outcome.Erased),
            Rescheduled: outcomes.Count(o => o == Outcome.Rescheduled),
            Removed: outcomes.Count(o => o == Outcome.Removed),
            Failures: failures);
    }

    private async Task<Outcome> SettledAsync(RetentionEntry entry, Instant now, CancellationToken ct)
    {
        var record = await treatments.FindAsync(entry.ClinicId, entry.TreatmentId, ct);
        if (record is null || IsErased(record))
        {
            await index.RemoveAsync(entry, ct);
            return Outcome.Removed;
        }

        var treatment = record.Treatment.Value;
        var messages = record.Messages.Select(m => m.Value).ToList();
        if (messages.Any(m => m.Status == MessageStatus.Sending))
        {
            return await MoveAsync(entry, now.InUtc().Date, ct);
        }

        // A message still scheduled can no longer go once it is stale: that is when it settles, at the latest.
        var lastSettled = messages
            .Select(m => m.Status.IsSettled() ? m.UpdatedAt ?? m.SentAt ?? treatment.RegisteredAt : m.ExpiresAt)
            .DefaultIfEmpty(treatment.RegisteredAt)
            .Max();
        if (lastSettled > now - options.Period)
        {
            return await MoveAsync(entry, lastSettled.InUtc().Date, ct);
        }

        // The history is keyed by the phone, which the erasure removes: it forgets the treatment first.
        if (treatment.Client.Phone.Length > 0)
        {
            await history.ForgetAsync(entry.ClinicId, treatment.Client.Phone, entry.TreatmentId, ct);
        }

        if (await eraser.EraseAsync(entry.ClinicId, entry.TreatmentId, Reason, ct) is { Erased: false })
        {
            return await MoveAsync(entry, now.InUtc().Date, ct); // A text went out meanwhile.
        }

        await index.RemoveAsync(entry, ct);
        return Outcome.Erased;
    }

    private async Task<Outcome> RequestedAsync(RetentionEntry entry, LocalDate today, CancellationToken ct)
    {
        var record = await treatments.FindAsync(entry.ClinicId, entry.TreatmentId, ct);
        if (record is null || IsErased(record))
        {
            await index.RemoveAsync(entry, ct);
            return Outcome.Removed;
        }

        if (record.Messages.Any(m => m.Value.Status == MessageStatus.Sending))
        {
            return await MoveAsync(entry, today.PlusDays(1), ct);
        }

        // The whole client, as the clinic asked: the history then forgets every treatment and keeps the totals.
        var phone = record.Treatment.Value.Client.Phone;
        if (phone.Length > 0)
        {
            await clientErasure.EraseAsync(entry.ClinicId, phone, ct);
        }

        // This treatment is erased unless a text to it went out meanwhile (or its client's history had lost it).
        if (await eraser.EraseAsync(entry.ClinicId, entry.TreatmentId, ClientErasure.Reason, ct) is { Erased: false })
        {
            return await MoveAsync(entry, today.PlusDays(1), ct);
        }

        await index.RemoveAsync(entry, ct);
        return Outcome.Erased;
    }

    private async Task<Outcome> MoveAsync(RetentionEntry entry, LocalDate day, CancellationToken ct)
    {
        if (day == entry.Day)
        {
            return Outcome.Rescheduled; // Never the case for a day this sweep reads; a move onto itself would delete the entry.
        }

        await index.AddAsync(entry with { Day = day }, ct);
        await index.RemoveAsync(entry, ct);
        return Outcome.Rescheduled;
    }

    private static bool IsErased(TreatmentRecord record) =>
        record.Treatment.Value.ErasedAt is not null && record.Messages.All(m => m.Value.Body.Length == 0);
}

/// <summary>
/// What one retention sweep did: entries read, treatments erased, entries moved to a later day or dropped (their
/// treatment gone or erased already), and the entries that failed, which stay for the next run.
/// </summary>
public sealed record RetentionReport(int Examined, int Erased, int Rescheduled, int Removed, IReadOnlyList<RetentionFailure> Failures)
{
    public static RetentionReport operator +(RetentionReport left, RetentionReport right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(
            left.Examined + right.Examined, left.Erased + right.Erased, left.Rescheduled + right.Rescheduled, left.Removed + right.Removed, [.. left.Failures, .. right.Failures]);
    }

    public static RetentionReport Add(RetentionReport left, RetentionReport right) => left + right;
}

/// <summary>An entry the sweep could not deal with, and why (ids and the exception only: no personal data).</summary>
public sealed record RetentionFailure(RetentionEntry Entry, Exception Exception);
