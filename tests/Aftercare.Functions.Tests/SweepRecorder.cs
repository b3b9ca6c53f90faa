using System.Collections.Concurrent;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Functions.Tests;

/// <summary>Keeps each dispatch sweep's counts while the app's own telemetry still gets every event.</summary>
public sealed class SweepRecorder
{
    private readonly ConcurrentQueue<DispatchReport> _reports = new();

    public int Count => _reports.Count;

    public IReadOnlyList<DispatchReport> Since(int count) => [.. _reports.Skip(count)];

    public IDeliveryEvents Around(IDeliveryEvents inner) => new Recording(inner, _reports);

    private sealed class Recording(IDeliveryEvents inner, ConcurrentQueue<DispatchReport> reports) : IDeliveryEvents
    {
        public void Sent(string clinicId, string stageId, Duration lateness) => inner.Sent(clinicId, stageId, lateness);

        public void Settled(string clinicId, string stageId, MessageStatus status, string reason, string? errorCode) =>
            inner.Settled(clinicId, stageId, status, reason, errorCode);

        public void InDoubt(string clinicId, string stageId, string detail) => inner.InDoubt(clinicId, stageId, detail);

        public void Deferred(string clinicId, string stageId, string reason) => inner.Deferred(clinicId, stageId, reason);

        public void Faulted(string clinicId, string stageId, Exception exception) => inner.Faulted(clinicId, stageId, exception);

        public void SweepCompleted(DispatchReport report)
        {
            reports.Enqueue(report);
            inner.SweepCompleted(report);
        }
    }
}
