using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>
/// The durable outbox of clinic alerts (Table Storage in production). Writing is idempotent by
/// <see cref="ClinicAlert.Id"/>; delivery claims an alert with an ETag-conditional replace, like the dispatcher claims a
/// message, so two deliverers never both send one.
/// </summary>
public interface IAlertOutbox
{
    /// <summary>
    /// Stores <paramref name="alert"/> as pending, due at its <see cref="ClinicAlert.CreatedAt"/>. True when stored now;
    /// false when an alert with the same id and creation day is stored already (nothing is changed, whatever its state).
    /// One round trip.
    /// </summary>
    /// <exception cref="ArgumentException">The id is not <see cref="ClinicAlert.IsValidId"/>.</exception>
    Task<bool> AddAsync(ClinicAlert alert, CancellationToken cancellationToken);

    /// <summary>
    /// Open alerts (pending, or sending with an expired lease) whose <see cref="OutboxAlert.NextAttemptAt"/> is at or
    /// before <paramref name="now"/>, created within <paramref name="lookback"/> of it; at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Versioned<OutboxAlert>>> ListDueAsync(Instant now, Duration lookback, int limit, CancellationToken cancellationToken);

    /// <summary>The alert with this id created on <paramref name="createdAt"/>'s UTC day, or null.</summary>
    Task<Versioned<OutboxAlert>?> FindAsync(string alertId, Instant createdAt, CancellationToken cancellationToken);

    /// <summary>Replaces the stored alert if its ETag is still <paramref name="etag"/>: the new ETag, or null when someone changed it first.</summary>
    Task<string?> TryReplaceAsync(OutboxAlert alert, string etag, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the client's name, phone and reply text (<see cref="ClinicAlert.WithoutClientData"/>) from every alert of
    /// the treatment created within <paramref name="lookback"/> of <paramref name="now"/> (UTC) that still holds them,
    /// whatever its delivery state, keeping everything else. A write that meets a concurrent change (a claim) reads the
    /// alert again and retries, so the change never brings the data back; a claimed alert is then failed by its sweep
    /// instead of sent. Returns how many alerts it changed; repeating it changes nothing more.
    /// </summary>
    /// <exception cref="InvalidOperationException">An alert kept changing under 20 attempts.</exception>
    Task<int> EraseClientDataAsync(string clinicId, string treatmentId, Instant now, Duration lookback, CancellationToken cancellationToken);
}
