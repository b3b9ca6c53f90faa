using System.Collections.Concurrent;
using Aftercare.Core.Clinics;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Alerts;

/// <summary>
/// One sweep of the alert outbox: each due alert is claimed with an ETag-conditional replace (a lost race is dropped,
/// so concurrent sweeps never both post one), posted to the clinic's <see cref="Clinic.AlertWebhookUrl"/>, and recorded
/// as delivered, or scheduled again with a jittered backoff (<see cref="AlertRetrySchedule"/>) until
/// <see cref="AlertDeliveryOptions.RetryFor"/> after its creation, then failed and kept on record. A worker that dies
/// after its claim leaves the alert to the next sweep once the lease ends: delivery is at least once, and the
/// <c>Idempotency-Key</c> (the alert's id) lets the clinic drop a repeat. A settled alert (delivered or failed) is stored
/// without the client's name, phone and reply text, in the same replace that records the outcome; an alert whose client
/// data was erased while it waited is failed without a post.
/// </summary>
public sealed class AlertDelivery(
    IAlertOutbox outbox, IClinicStore clinics, IAlertSender sender, IAlertEvents events, AlertDeliveryOptions options, TimeProvider time, Random random)
{
    /// <summary>Why an alert whose client data was erased before it could be sent is failed.</summary>
    public const string ErasedReason = "The client's data was erased.";

    private enum Outcome
    {
        Delivered,
        Retrying,
        Failed,
        Held,
    }

    /// <summary>Runs one sweep. Storage faults propagate (the timer's next tick runs the sweep again); the endpoint's never do.</summary>
    public async Task<AlertSweepReport> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var due = await outbox.ListDueAsync(time.GetCurrentInstant(), options.Lookback, options.BatchSize, cancellationToken);
        var outcomes = new ConcurrentBag<Outcome>();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = cancellationToken },
            async (alert, ct) => outcomes.Add(await DeliverAsync(alert, ct)));

        var report = new AlertSweepReport(
            Due: due.Count,
            Delivered: outcomes.Count(o => o == Outcome.Delivered),
            Retrying: outcomes.Count(o => o == Outcome.Retrying),
            Failed: outcomes.Count(o => o == Outcome.Failed),
            Held: outcomes.Count(o => o == Outcome.Held));
        events.SweepCompleted(report);
        return report;
    }

    private async Task<Outcome> DeliverAsync(Versioned<OutboxAlert> due, CancellationToken ct)
    {
        var now = time.GetCurrentInstant();
        var claimed = due.Value with
        {
            Status = AlertDeliveryStatus.Sending,
            Attempts = due.Value.Attempts + 1,
            NextAttemptAt = now + options.Lease,
        };
        var etag = await outbox.TryReplaceAsync(claimed, due.ETag, ct);
        if (etag is null)
        {
            return Outcome.Held; // Another sweep claimed it first.
        }

        var alert = claimed.Alert;
        if (alert.IsClientDataErased)
        {
            await RecordAsync(Settled(claimed, AlertDeliveryStatus.Failed) with { LastError = ErasedReason }, etag, ct);
            events.Failed(alert, claimed.Attempts, ErasedReason);
            return Outcome.Failed;
        }

        var clinic = await clinics.FindAsync(alert.ClinicId, ct);
        var result = clinic?.AlertWebhookUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var endpoint)
            ? await sender.SendAsync(endpoint, alert, clinic.WebhookSecret, ct)
            : null;

        now = time.GetCurrentInstant();
        if (result is { Delivered: true })
        {
            await RecordAsync(Settled(claimed, AlertDeliveryStatus.Delivered) with { DeliveredAt = now, LastError = null }, etag, ct);
            events.Delivered(alert, claimed.Attempts, now - alert.CreatedAt);
            return Outcome.Delivered;
        }

        var reason = result?.Detail ?? (clinic is null ? "The clinic no longer exists." : "The clinic has no alert webhook URL.");
        if (result is null || now - alert.CreatedAt >= options.RetryFor)
        {
            await RecordAsync(Settled(claimed, AlertDeliveryStatus.Failed) with { LastError = reason }, etag, ct);
            events.Failed(alert, claimed.Attempts, reason);
            return Outcome.Failed;
        }

        var next = now + AlertRetrySchedule.Delay(claimed.Attempts, options, random);
        await RecordAsync(claimed with { Status = AlertDeliveryStatus.Pending, NextAttemptAt = next, LastError = reason }, etag, ct);
        events.Retrying(alert, claimed.Attempts, reason, next);
        return Outcome.Retrying;
    }

    /// <summary>
    /// Records an attempt's outcome on the claim. When the claim's ETag no longer matches because the client's data was
    /// erased meanwhile (the row is still this attempt's claim, now without the data), the outcome is recorded on what
    /// the erasure wrote, without the data; any other change (another sweep took over after the lease ended) wins.
    /// </summary>
    private async Task RecordAsync(OutboxAlert outcome, string etag, CancellationToken ct)
    {
        if (await outbox.TryReplaceAsync(outcome, etag, ct) is not null)
        {
            return;
        }

        if (await outbox.FindAsync(outcome.Alert.Id, outcome.Alert.CreatedAt, ct) is { } current
            && current.Value.Status == AlertDeliveryStatus.Sending
            && current.Value.Attempts == outcome.Attempts
            && current.Value.Alert.IsClientDataErased)
        {
            await outbox.TryReplaceAsync(outcome with { Alert = current.Value.Alert }, current.ETag, ct);
        }
    }

    /// <summary>The alert in its final state, without the client's data: nothing will send it again.</summary>
    private static OutboxAlert Settled(OutboxAlert claimed, AlertDeliveryStatus status) =>
        claimed with { Status = status, Alert = claimed.Alert.WithoutClientData() };
}
