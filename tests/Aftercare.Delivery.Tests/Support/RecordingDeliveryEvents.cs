using System.Collections.Concurrent;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>Keeps everything the dispatcher reports, so a test can count what operators would see.</summary>
public sealed class RecordingDeliveryEvents : IDeliveryEvents
{
    private readonly ConcurrentQueue<string> _sent = new();
    private readonly ConcurrentQueue<SettledEvent> _settled = new();
    private readonly ConcurrentQueue<string> _inDoubt = new();
    private readonly ConcurrentQueue<string> _deferred = new();
    private readonly ConcurrentQueue<Exception> _faulted = new();
    private readonly ConcurrentQueue<DispatchReport> _sweeps = new();

    /// <summary>Stage ids of the messages reported sent.</summary>
    public IReadOnlyList<string> Sent => [.. _sent];

    public IReadOnlyList<SettledEvent> Settled => [.. _settled];

    /// <summary>The details of in-doubt sends.</summary>
    public IReadOnlyList<string> InDoubt => [.. _inDoubt];

    /// <summary>The reasons messages were deferred.</summary>
    public IReadOnlyList<string> Deferred => [.. _deferred];

    public IReadOnlyList<Exception> Faulted => [.. _faulted];

    public IReadOnlyList<DispatchReport> Sweeps => [.. _sweeps];

    void IDeliveryEvents.Sent(string clinicId, string stageId, Duration lateness) => _sent.Enqueue(stageId);

    void IDeliveryEvents.Settled(string clinicId, string stageId, MessageStatus status, string reason, string? errorCode) =>
        _settled.Enqueue(new SettledEvent(stageId, status, reason, errorCode));

    void IDeliveryEvents.InDoubt(string clinicId, string stageId, string detail) => _inDoubt.Enqueue(detail);

    void IDeliveryEvents.Deferred(string clinicId, string stageId, string reason) => _deferred.Enqueue(reason);

    void IDeliveryEvents.Faulted(string clinicId, string stageId, Exception exception) => _faulted.Enqueue(exception);

    void IDeliveryEvents.SweepCompleted(DispatchReport report) => _sweeps.Enqueue(report);
}

public sealed record SettledEvent(string StageId, MessageStatus Status, string Reason, string? ErrorCode);
