using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>
/// An alert in the outbox and where its delivery stands: <c>pending → sending → delivered</c>, back to <c>pending</c>
/// after a failed attempt, or <c>failed</c> once the retry window (at least 24 h) has passed. Rows are kept on record.
/// </summary>
public sealed record OutboxAlert
{
    public required ClinicAlert Alert { get; init; }

    public required AlertDeliveryStatus Status { get; init; }

    /// <summary>Attempts made so far (a claim counts as one, even if the worker then crashed).</summary>
    public int Attempts { get; init; }

    /// <summary>When a sweep may next take it (UTC): the retry time when pending, the lease's end when sending.</summary>
    public required Instant NextAttemptAt { get; init; }

    public Instant? DeliveredAt { get; init; }

    /// <summary>Why the last attempt failed: an HTTP status or a transport fault, never the body or the URL's query.</summary>
    public string? LastError { get; init; }

    /// <summary>A new alert, due at once.</summary>
    public static OutboxAlert New(ClinicAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new() { Alert = alert, Status = AlertDeliveryStatus.Pending, NextAttemptAt = alert.CreatedAt };
    }

    /// <summary>True while a sweep may still take it.</summary>
    public bool IsOpen => Status is AlertDeliveryStatus.Pending or AlertDeliveryStatus.Sending;
}

/// <summary>Where an alert's delivery stands (<see cref="OutboxAlert"/>).</summary>
public enum AlertDeliveryStatus
{
    Pending,
    Sending,
    Delivered,
    Failed,
}
