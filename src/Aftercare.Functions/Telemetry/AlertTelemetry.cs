using Aftercare.Core.Alerts;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Alert delivery as Application Insights custom events (<c>AlertDelivered</c>, <c>AlertRetrying</c>,
/// <c>AlertFailed</c>) and logs. Dimensions: alert id, type, clinic id, attempt count, reason. Never a name, a number,
/// a reply's text or the clinic's URL.
/// </summary>
internal sealed class AlertTelemetry(TelemetryClient telemetry, ILogger<AlertTelemetry> logger) : IAlertEvents
{
    public void Delivered(ClinicAlert alert, int attempts, Duration age)
    {
        telemetry.TrackEvent("AlertDelivered", Dimensions(alert, attempts));
        telemetry.GetMetric("AlertDeliverySeconds", "Type").TrackValue(Math.Max(0, age.TotalSeconds), alert.Type.ToWire());
        logger.LogInformation(
            "Delivered alert {AlertId} ({AlertType}) for clinic {ClinicId} on attempt {Attempts}, {AgeSeconds:0} s after it was created",
            alert.Id, alert.Type.ToWire(), alert.ClinicId, attempts, age.TotalSeconds);
    }

    public void Retrying(ClinicAlert alert, int attempts, string reason, Instant nextAttemptAt)
    {
        var properties = Dimensions(alert, attempts);
        properties["Reason"] = reason;
        telemetry.TrackEvent("AlertRetrying", properties);
        logger.LogWarning(
            "Alert {AlertId} ({AlertType}) for clinic {ClinicId}: attempt {Attempts} failed ({Reason}); next at {NextAttemptAt}",
            alert.Id, alert.Type.ToWire(), alert.ClinicId, attempts, reason, nextAttemptAt);
    }

    public void Failed(ClinicAlert alert, int attempts, string reason)
    {
        var properties = Dimensions(alert, attempts);
        properties["Reason"] = reason;
        telemetry.TrackEvent("AlertFailed", properties);
        logger.LogError(
            "Alert {AlertId} ({AlertType}) for clinic {ClinicId} failed after {Attempts} attempts: {Reason}",
            alert.Id, alert.Type.ToWire(), alert.ClinicId, attempts, reason);
    }

    public void SweepCompleted(AlertSweepReport report)
    {
        if (report.Due > 0)
        {
            logger.LogInformation(
                "Alert sweep: due {Due}, delivered {Delivered}, retrying {Retrying}, failed {Failed}, held {Held}",
                report.Due, report.Delivered, report.Retrying, report.Failed, report.Held);
        }
    }

    private static Dictionary<string, string> Dimensions(ClinicAlert alert, int attempts) => new()
    {
        ["AlertId"] = alert.Id,
        ["AlertType"] = alert.Type.ToWire(),
        ["ClinicId"] = alert.ClinicId,
        ["Attempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
