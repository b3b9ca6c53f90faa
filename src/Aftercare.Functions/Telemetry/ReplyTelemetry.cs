using System.Globalization;
using Aftercare.Core.Alerts;
using Aftercare.Core.Conversation;
using Aftercare.Core.Replies;
using Microsoft.ApplicationInsights;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Incoming replies as the Application Insights custom event <c>ReplyReceived</c>: the keyword kind, the triage and the
/// ids of the rules that matched, whether Twilio had posted it before, how many replies were stored and texts
/// suppressed, the clinic ids, and the id of the alert a free-text reply put in the outbox (what the 15-minute
/// undelivered-urgent-alert rule in <c>infra/monitoring.bicep</c> joins on <c>AlertDelivered</c>). Never the text or
/// the number.
/// </summary>
internal sealed class ReplyTelemetry(TelemetryClient telemetry)
{
    public void Received(InboundOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        telemetry.TrackEvent("ReplyReceived", new Dictionary<string, string>
        {
            ["Kind"] = outcome.Kind.ToWire(),
            ["Triage"] = outcome.Triage?.Kind.ToWire() ?? string.Empty,
            ["MatchedRules"] = outcome.Triage is { } verdict ? string.Join(',', verdict.MatchedRules) : string.Empty,
            ["Routed"] = outcome.Routed ? "true" : "false",
            ["Repeated"] = outcome.Repeated ? "true" : "false",
            ["Stored"] = outcome.Stored.Count.ToString(CultureInfo.InvariantCulture),
            ["Suppressed"] = outcome.SuppressedMessages.ToString(CultureInfo.InvariantCulture),
            ["AlertId"] = AlertIdOf(outcome),
            ["ClinicIds"] = string.Join(',', outcome.Stored.Select(r => r.ClinicId)),
        });
    }

    private static string AlertIdOf(InboundOutcome outcome) =>
        outcome.Stored.FirstOrDefault(r => r.Kind == ReplyKind.Text && r.Alert == AlertRouting.Outbox) is { } alerted
            ? ClinicAlertIds.ForReply(alerted.MessageSid)
            : string.Empty;
}
