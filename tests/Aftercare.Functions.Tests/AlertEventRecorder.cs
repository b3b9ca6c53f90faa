using System.Collections.Concurrent;
using Aftercare.Core.Alerts;
using NodaTime;

namespace Aftercare.Functions.Tests;

/// <summary>Keeps every alert delivery event (by name, alert id and attempts) while the app's own telemetry still gets each.</summary>
public sealed class AlertEventRecorder
{
    private readonly ConcurrentQueue<RecordedAlertEvent> _events = new();

    public IReadOnlyList<RecordedAlertEvent> Events => [.. _events];

    public IReadOnlyList<AlertSweepReport> Sweeps => [.. _events.Where(e => e.Report is not null).Select(e => e.Report!)];

    public IAlertEvents Around(IAlertEvents inner) => new Recording(inner, _events);

    private sealed class Recording(IAlertEvents inner, ConcurrentQueue<RecordedAlertEvent> events) : IAlertEvents
    {
        public void Delivered(ClinicAlert alert, int attempts, Duration age)
        {
            events.Enqueue(new("AlertDelivered", alert.Id, attempts, null));
            inner.Delivered(alert, attempts, age);
        }

        public void Retrying(ClinicAlert alert, int attempts, string reason, Instant nextAttemptAt)
        {
            events.Enqueue(new("AlertRetrying", alert.Id, attempts, null));
            inner.Retrying(alert, attempts, reason, nextAttemptAt);
        }

        public void Failed(ClinicAlert alert, int attempts, string reason)
        {
            events.Enqueue(new("AlertFailed", alert.Id, attempts, null, reason));
            inner.Failed(alert, attempts, reason);
        }

        public void SweepCompleted(AlertSweepReport report)
        {
            events.Enqueue(new("AlertSweep", null, 0, report));
            inner.SweepCompleted(report);
        }
    }
}

/// <summary>One alert event: its telemetry name, the alert's id and the attempt count (and a failure's reason), or a sweep's report.</summary>
public sealed record RecordedAlertEvent(string Name, string? AlertId, int Attempts, AlertSweepReport? Report, string? Reason = null);
