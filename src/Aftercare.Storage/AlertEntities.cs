using System.Globalization;
using System.Text.Json;
using Aftercare.Core.Alerts;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// An outbox row: PK = the alert's creation day in UTC ("yyyyMMdd"), RK = the alert's id. A sweep reads the few day
/// partitions its look-back spans, so its cost follows recent alerts, not history; a repeated write of one alert (same
/// id, same creation day) meets the row it wrote before. The row holds the client's name, phone and reply text for
/// the clinic: erasure and retention do not reach this table yet.
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
            ["FirstName"] = alert.Client.FirstName,
            ["Phone"] = alert.Client.Phone,
            ["Status"] = outboxAlert.Status.ToString(),
            ["Attempts"] = outboxAlert.Attempts,
            ["NextAttemptAt"] = StoredValues.ToStored(outboxAlert.NextAttemptAt),
        };
        entity.SetIfPresent("DeliveredAt", outboxAlert.DeliveredAt?.ToDateTimeOffset());
        entity.SetIfPresent("LastError", outboxAlert.LastError);
        if (alert.Reply is { } reply)
        {
            entity["ReplyText"] = reply.Text;
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
            Client = new AlertClient(entity.Required("FirstName"), entity.Required("Phone")),
            Reply = entity.GetString("ReplyText") is { } text
                ? new AlertReply(
                    text,
                    StoredValues.ToInstant(entity.RequiredDateTimeOffset("ReplyReceivedAt")),
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
}
