using System.Text.Json;
using Aftercare.Core.Clinics;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>A clinic as one row: PK = clinic id, RK = "clinic".</summary>
internal static class ClinicEntities
{
    public const string RowKey = "clinic";

    public static TableEntity ToEntity(Clinic clinic)
    {
        var entity = new TableEntity(clinic.Id, RowKey)
        {
            ["Name"] = clinic.Name,
            ["TimeZoneId"] = clinic.TimeZoneId,
            ["BookingUrl"] = clinic.BookingUrl,
            ["ContactPhone"] = clinic.ContactPhone,
            ["QuietStart"] = StoredValues.ToStored(clinic.QuietHours.Start),
            ["QuietEnd"] = StoredValues.ToStored(clinic.QuietHours.End),
            ["DefaultLocale"] = clinic.DefaultLocale,
            ["WebhookSecret"] = clinic.WebhookSecret,
            ["TemplateOverrides"] = JsonSerializer.Serialize(clinic.TemplateOverrides),
            ["CreatedAt"] = StoredValues.ToStored(clinic.CreatedAt),
        };
        entity.SetIfPresent("SenderPhone", clinic.SenderPhone);
        entity.SetIfPresent("MessagingServiceSid", clinic.MessagingServiceSid);
        entity.SetIfPresent("AlertWebhookUrl", clinic.AlertWebhookUrl);
        return entity;
    }

    public static Clinic FromEntity(TableEntity entity) => new()
    {
        Id = entity.PartitionKey,
        Name = entity.Required("Name"),
        TimeZoneId = entity.Required("TimeZoneId"),
        SenderPhone = entity.GetString("SenderPhone"),
        MessagingServiceSid = entity.GetString("MessagingServiceSid"),
        BookingUrl = entity.Required("BookingUrl"),
        ContactPhone = entity.Required("ContactPhone"),
        AlertWebhookUrl = entity.GetString("AlertWebhookUrl"),
        QuietHours = new QuietHours(StoredValues.ToLocalTime(entity.Required("QuietStart")), StoredValues.ToLocalTime(entity.Required("QuietEnd"))),
        DefaultLocale = entity.Required("DefaultLocale"),
        WebhookSecret = entity.Required("WebhookSecret"),
        TemplateOverrides = entity.GetString("TemplateOverrides") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : new Dictionary<string, string>(),
        CreatedAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("CreatedAt")),
    };
}
