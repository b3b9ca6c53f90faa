using System.Globalization;
using Aftercare.Core.Conversation;
using Aftercare.Core.Replies;
using Microsoft.ApplicationInsights;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Incoming replies as the Application Insights custom event <c>ReplyReceived</c>: the keyword kind, the triage and the
/// ids of the rules that matched, whether Twilio had posted it before, how many replies were stored and texts
/// suppressed, and the clinic ids. Never the text, the number or the MessageSid's sender.
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
            ["Alerted"] = outcome.Stored.Any(r => r.Alert == Core.Alerts.AlertRouting.Outbox) ? "true" : "false",
            ["ClinicIds"] = string.Join(',', outcome.Stored.Select(r => r.ClinicId)),
        });
    }
}
