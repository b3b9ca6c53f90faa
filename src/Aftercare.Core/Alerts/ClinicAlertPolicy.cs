using Aftercare.Core.Clinics;

namespace Aftercare.Core.Alerts;

/// <summary>Where an alert went: to the outbox, to the timeline only, or nowhere because the clinic did not ask for it.</summary>
public enum AlertRouting
{
    /// <summary>The clinic does not receive this type (<see cref="Clinic.AlertTypes"/>).</summary>
    NotWanted,

    /// <summary>The clinic wants it but has no <see cref="Clinic.AlertWebhookUrl"/>: its staff see it on the timeline.</summary>
    TimelineOnly,

    /// <summary>Written to the outbox (now, or by an earlier attempt with the same id): the delivery timer posts it.</summary>
    Outbox,
}

/// <summary>Raises an alert the way the clinic asked for (issue 14, item 5).</summary>
public static class ClinicAlertPolicy
{
    /// <summary>
    /// Writes <paramref name="alert"/> to the outbox when <paramref name="clinic"/> receives its type and has an alert
    /// URL (one round trip; idempotent by the alert's id and creation day), else nothing.
    /// </summary>
    public static async Task<AlertRouting> RaiseAsync(this IAlertOutbox outbox, Clinic clinic, ClinicAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(clinic);
        ArgumentNullException.ThrowIfNull(alert);
        if (!clinic.AlertTypes.Contains(alert.Type))
        {
            return AlertRouting.NotWanted;
        }

        if (clinic.AlertWebhookUrl is null)
        {
            return AlertRouting.TimelineOnly;
        }

        await outbox.AddAsync(alert, cancellationToken);
        return AlertRouting.Outbox;
    }
}
