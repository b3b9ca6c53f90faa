using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// What the dispatcher reports for operators (Application Insights in production). Carries ids, stages, statuses
/// and codes only: never a phone number, a name or a message text.
/// </summary>
public interface IDeliveryEvents
{
    /// <summary>A message left us: accepted by the provider. Lateness is how long after its due time it went.</summary>
    void Sent(string clinicId, string stageId, Duration lateness);

    /// <summary>A message reached a settled state without being sent (skipped, cancelled, suppressed, failed).</summary>
    void Settled(string clinicId, string stageId, MessageStatus status, string reason, string? errorCode);

    /// <summary>A send whose outcome is unknown; it will be checked with the provider before any re-send.</summary>
    void InDoubt(string clinicId, string stageId, string detail);

    /// <summary>The provider asked us to wait (rate limit, outage); the message stays scheduled.</summary>
    void Deferred(string clinicId, string stageId, string reason);

    /// <summary>Handling one due message threw; it stays in the index and is tried again on the next sweep.</summary>
    void Faulted(string clinicId, string stageId, Exception exception);

    /// <summary>One sweep finished.</summary>
    void SweepCompleted(DispatchReport report);
}

/// <summary>Counts from one sweep of the due index.</summary>
public sealed record DispatchReport(int Due, int Sent, int Settled, int Deferred, int InDoubt, int Held, int Faulted);
