using System.Text.Json;
using Aftercare.Core.Alerts;
using NodaTime.Text;

namespace Aftercare.Functions.Alerts;

/// <summary>
/// The JSON body of an alert POST, in issue 14's shape (camelCase, instants as ISO 8601 UTC with a <c>Z</c>):
/// <c>{ "id", "type", "createdAt", "clinicId", "treatment": {"externalId", "treatmentId"}, "client": {"firstName",
/// "phone"}, "reply": {"text", "receivedAt", "triage", "matchedRules"}?, "message": {"stage", "status", "errorCode"}? }</c>.
/// The optional objects are left out when absent. The bytes written here are the bytes signed and sent.
/// </summary>
internal static class AlertPayload
{
    public static byte[] ToUtf8Json(ClinicAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", alert.Id);
            json.WriteString("type", alert.Type.ToWire());
            json.WriteString("createdAt", InstantPattern.ExtendedIso.Format(alert.CreatedAt));
            json.WriteString("clinicId", alert.ClinicId);
            json.WriteStartObject("treatment");
            json.WriteString("externalId", alert.Treatment.ExternalId);
            json.WriteString("treatmentId", alert.Treatment.TreatmentId);
            json.WriteEndObject();
            json.WriteStartObject("client");
            json.WriteString("firstName", alert.Client.FirstName);
            json.WriteString("phone", alert.Client.Phone);
            json.WriteEndObject();
            if (alert.Reply is { } reply)
            {
                json.WriteStartObject("reply");
                json.WriteString("text", reply.Text);
                json.WriteString("receivedAt", InstantPattern.ExtendedIso.Format(reply.ReceivedAt));
                json.WriteString("triage", reply.Triage);
                json.WriteStartArray("matchedRules");
                foreach (var rule in reply.MatchedRules)
                {
                    json.WriteStringValue(rule);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (alert.Message is { } message)
            {
                json.WriteStartObject("message");
                json.WriteString("stage", message.Stage);
                json.WriteString("status", message.Status);
                json.WriteString("errorCode", message.ErrorCode);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
