using System.Globalization;
using System.Text.Json;
using Aftercare.Core.Alerts;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// An outbox row: PK = the alert's creation day in UTC ("yyyyMMdd"), RK = the alert's id. A sweep reads the few day
/// partitions its look-back spans, so its cost follows recent alerts, not history; a repeated write of one alert (same
/// id, same creation day) meets the row it wrote before. The row holds the client's first name, phone and reply text
/// only while the alert is open: the replace that records it delivered or failed drops them, and so does erasing the
/// treatment (<see cref="TableAlertOutbox.EraseClientDataAsync"/>); what stays is ids, type, triage, matched rules, the
/// failed message's stage, status and error code, attempts, times and the last error.
/// </summary>
internal static class AlertEntities
{
    public static string PartitionKey(Instant createdAt) =>
        createdAt.ToDateTimeOffset().ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static TableEntity ToEntity(OutboxAlert outboxAlert)
    {
        var alert = outboxAlert.Alert;
        var entity = new TableEntity(PartitionKey(alert.CreatedAt), alert.Id)
        {
            ["Type"] = alert.Type.ToWire(),
            ["CreatedAt"] = StoredValues.ToStored(alert.CreatedAt),
            ["ClinicId"] = alert.ClinicId,
            ["ExternalId"] = alert.Treatment.ExternalId,
            ["TreatmentId"] = alert.Treatment.TreatmentId,
            ["Status"] = outboxAlert.Status.ToString(),
            ["Attempts"] = outboxAlert.Attempts,
            ["NextAttemptAt"] = StoredValues.ToStored(outboxAlert.NextAttemptAt),
        };
        entity.SetIfPresent("DeliveredAt", outboxAlert.DeliveredAt?.ToDateTimeOffset());
        entity.SetIfPresent("LastError", outboxAlert.LastError);
        SetIfNotEmpty(entity, "FirstName", alert.Client.FirstName);
        SetIfNotEmpty(entity, "Phone", alert.Client.Phone);
        if (alert.Reply is { } reply)
        {
            SetIfNotEmpty(entity, "ReplyText", reply.Text);
            entity["ReplyReceivedAt"] = StoredValues.ToStored(reply.ReceivedAt);
            entity["ReplyTriage"] = reply.Triage;
            entity["ReplyMatchedRules"] = JsonSerializer.Serialize(reply.MatchedRules);
        }

        if (alert.Message is { } message)
        {
            entity["MessageStage"] = message.Stage;
            entity["MessageStatus"] = message.Status;
            entity.SetIfPresent("MessageErrorCode", message.ErrorCode);
        }

        return entity;
    }

    public static OutboxAlert ToOutboxAlert(TableEntity entity)
    {
        if (!ClinicAlertTypes.TryParse(entity.Required("Type"), out var type))
        {
            throw new InvalidDataException($"Alert row {entity.RowKey} has an unknown type.");
        }

        var alert = new ClinicAlert
        {
            Id = entity.RowKey,
            Type = type,
            CreatedAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("CreatedAt")),
            ClinicId = entity.Required("ClinicId"),
            Treatment = new AlertTreatment(entity.Required("ExternalId"), entity.Required("TreatmentId")),
            Client = new AlertClient(entity.GetString("FirstName") ?? string.Empty, entity.GetString("Phone") ?? string.Empty),
            Reply = entity.GetDateTimeOffset("ReplyReceivedAt") is { } receivedAt
                ? new AlertReply(
                    entity.GetString("ReplyText") ?? string.Empty,
                    StoredValues.ToInstant(receivedAt),
                    entity.Required("ReplyTriage"),
                    JsonSerializer.Deserialize<string[]>(entity.Required("ReplyMatchedRules")) ?? [])
                : null,
            Message = entity.GetString("MessageStage") is { } stage
                ? new AlertMessage(stage, entity.Required("MessageStatus"), entity.GetString("MessageErrorCode"))
                : null,
        };
        return new OutboxAlert
        {
            Alert = alert,
            Status = StoredValues.ToEnum<AlertDeliveryStatus>(entity.Required("Status")),
            Attempts = entity.RequiredInt32("Attempts"),
            NextAttemptAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("NextAttemptAt")),
            DeliveredAt = StoredValues.ToInstant(entity.GetDateTimeOffset("DeliveredAt")),
            LastError = entity.GetString("LastError"),
        };
    }

    /// <summary>Client data is absent from the row once erased, not stored as an empty string.</summary>
    private static void SetIfNotEmpty(TableEntity entity, string name, string value)
    {
        if (value.Length > 0)
        {
            entity[name] = value;
        }
    }
}
