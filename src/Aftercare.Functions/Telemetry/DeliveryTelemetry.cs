using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Dispatcher events as Application Insights custom events and metrics, and structured logs. Dimensions are ids,
/// stages, statuses and codes: never a phone number, a name or a message text.
/// </summary>
internal sealed class DeliveryTelemetry(TelemetryClient telemetry, ILogger<DeliveryTelemetry> logger) : IDeliveryEvents
{
    public void Sent(string clinicId, string stageId, Duration lateness)
    {
        telemetry.TrackEvent("MessageSent", Dimensions(clinicId, stageId));
        telemetry.GetMetric("MessageLatenessSeconds", "Stage").TrackValue(Math.Max(0, lateness.TotalSeconds), stageId);
        logger.LogInformation("Sent {StageId} for clinic {ClinicId}, {LatenessSeconds:0} s after due", stageId, clinicId, lateness.TotalSeconds);
    }

    public void Settled(string clinicId, string stageId, MessageStatus status, string reason, string? errorCode)
    {
        var properties = Dimensions(clinicId, stageId);
        properties["Status"] = status.ToWire();
        properties["ErrorCode"] = errorCode ?? string.Empty;
        telemetry.TrackEvent("MessageSettled", properties);
        logger.LogInformation("Settled {StageId} for clinic {ClinicId} as {Status} ({ErrorCode})", stageId, clinicId, status.ToWire(), errorCode);
    }

    public void InDoubt(string clinicId, string stageId, string detail)
    {
        telemetry.TrackEvent("MessageInDoubt", Dimensions(clinicId, stageId));
        logger.LogWarning("Send of {StageId} for clinic {ClinicId} is in doubt: {Detail}", stageId, clinicId, detail);
    }

    public void Deferred(string clinicId, string stageId, string reason)
    {
        telemetry.TrackEvent("MessageDeferred", Dimensions(clinicId, stageId));
        logger.LogInformation("Deferred {StageId} for clinic {ClinicId}: {Reason}", stageId, clinicId, reason);
    }

    public void Faulted(string clinicId, string stageId, Exception exception)
    {
        telemetry.TrackException(exception, Dimensions(clinicId, stageId));
        logger.LogError(exception, "Dispatching {StageId} for clinic {ClinicId} failed; it stays due", stageId, clinicId);
    }

    public void SweepCompleted(DispatchReport report)
    {
        telemetry.GetMetric("DispatchDue").TrackValue(report.Due);
        telemetry.GetMetric("DispatchSent").TrackValue(report.Sent);
        telemetry.GetMetric("DispatchFaulted").TrackValue(report.Faulted);
        if (report.Due > 0)
        {
            logger.LogInformation(
                "Dispatch sweep: due {Due}, sent {Sent}, settled {Settled}, deferred {Deferred}, in doubt {InDoubt}, held {Held}, faulted {Faulted}",
                report.Due, report.Sent, report.Settled, report.Deferred, report.InDoubt, report.Held, report.Faulted);
        }
    }

    private static Dictionary<string, string> Dimensions(string clinicId, string stageId) => new()
    {
        ["ClinicId"] = clinicId,
        ["Stage"] = stageId,
    };
}
