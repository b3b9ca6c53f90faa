using System.Globalization;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// A treatment's partition: PK = "{clinicId}|{treatmentId}", the treatment row at RK "treatment" and one row per
/// message at RK "msg|{sequence:D2}|{stageId}", so the partition reads back in plan order. Erased personal data is absent
/// rather than blank: an erased treatment row has no ClientFirstName or ClientPhone and has ErasedAt; an erased
/// message row has no Body.
/// </summary>
internal static class TreatmentEntities
{
    public const string TreatmentRowKey = "treatment";
    public const string MessageRowPrefix = "msg|";

    /// <summary>The first key after every "msg|…" key ('}' follows '|').</summary>
    public const string MessageRowEnd = "msg}";

    public static string PartitionKey(string clinicId, string treatmentId) => clinicId + "|" + treatmentId;

    public static string MessageRowKey(OutboundMessage message) =>
        MessageRowPrefix + message.Sequence.ToString("D2", CultureInfo.InvariantCulture) + "|" + message.StageId;

    public static bool IsMessageRow(TableEntity entity) => entity.RowKey.StartsWith(MessageRowPrefix, StringComparison.Ordinal);

    public static TableEntity ToEntity(Treatment treatment)
    {
        var entity = new TableEntity(PartitionKey(treatment.ClinicId, treatment.TreatmentId), TreatmentRowKey)
        {
            ["ClinicId"] = treatment.ClinicId,
            ["TreatmentId"] = treatment.TreatmentId,
            ["ExternalId"] = treatment.ExternalId,
            ["ClientLocale"] = treatment.Client.Locale,
            ["ClientTimeZoneId"] = treatment.Client.TimeZoneId,
            ["Type"] = treatment.Details.Type,
            ["Device"] = treatment.Details.Device,
            ["Area"] = treatment.Details.Area,
            ["PerformedAt"] = StoredValues.ToStored(treatment.Details.PerformedAt),
            ["ConsentSms"] = treatment.Consent.Sms,
            ["ConsentCapturedAt"] = StoredValues.ToStored(treatment.Consent.CapturedAt),
            ["ConsentMethod"] = treatment.Consent.Method,
            ["PlanId"] = treatment.PlanId,
            ["Status"] = treatment.Status.ToString(),
            ["RegisteredAt"] = StoredValues.ToStored(treatment.RegisteredAt),
            ["ClientTextedBefore"] = treatment.ClientTextedBefore,
        };
        entity.SetIfPresent("NeedleDepthMm", treatment.Details.NeedleDepthMm is { } depth ? StoredValues.ToStored(depth) : null);
        entity.SetIfPresent("StatusReason", treatment.StatusReason);
        entity.SetIfPresent("ClientFirstName", NullIfEmpty(treatment.Client.FirstName));
        entity.SetIfPresent("ClientPhone", NullIfEmpty(treatment.Client.Phone));
        entity.SetIfPresent("ErasedAt", treatment.ErasedAt?.ToDateTimeOffset());
        entity.SetIfPresent("ErasureReason", treatment.ErasureReason);
        return entity;
    }

    public static Treatment ToTreatment(TableEntity entity)
    {
        var erasedAt = StoredValues.ToInstant(entity.GetDateTimeOffset("ErasedAt"));
        return new Treatment
        {
            ClinicId = entity.Required("ClinicId"),
            TreatmentId = entity.Required("TreatmentId"),
            ExternalId = entity.Required("ExternalId"),
            Client = new ClientDetails(
                erasedAt is null ? entity.Required("ClientFirstName") : string.Empty,
                erasedAt is null ? entity.Required("ClientPhone") : string.Empty,
                entity.Required("ClientLocale"),
                entity.Required("ClientTimeZoneId")),
            Details = new TreatmentDetails(
                entity.Required("Type"),
                entity.Required("Device"),
                entity.GetString("NeedleDepthMm") is { } depth ? StoredValues.ToDecimal(depth) : null,
                entity.Required("Area"),
                StoredValues.ToOffsetDateTime(entity.Required("PerformedAt"))),
            Consent = new SmsConsent(
                entity.RequiredBoolean("ConsentSms"), StoredValues.ToOffsetDateTime(entity.Required("ConsentCapturedAt")), entity.Required("ConsentMethod")),
            PlanId = entity.Required("PlanId"),
            Status = StoredValues.ToEnum<TreatmentStatus>(entity.Required("Status")),
            StatusReason = entity.GetString("StatusReason"),
            RegisteredAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("RegisteredAt")),
            ClientTextedBefore = entity.GetBoolean("ClientTextedBefore") ?? false,
            ErasedAt = erasedAt,
            ErasureReason = entity.GetString("ErasureReason"),
        };
    }

    public static TableEntity ToEntity(string clinicId, string treatmentId, OutboundMessage message)
    {
        var entity = new TableEntity(PartitionKey(clinicId, treatmentId), MessageRowKey(message))
        {
            ["StageId"] = message.StageId,
            ["Sequence"] = message.Sequence,
            ["DueAt"] = StoredValues.ToStored(message.DueAt),
            ["DueLocal"] = StoredValues.ToStored(message.DueLocal),
            ["ExpiresAt"] = StoredValues.ToStored(message.ExpiresAt),
            ["Encoding"] = message.Encoding.ToString(),
            ["Segments"] = message.Segments,
            ["CancelOnRebook"] = message.CancelOnRebook,
            ["Status"] = message.Status.ToString(),
            ["Attempts"] = message.Attempts,
        };
        entity.SetIfPresent("Locale", message.Locale);
        entity.SetIfPresent("Body", NullIfEmpty(message.Body));
        entity.SetIfPresent("StatusReason", message.StatusReason);
        entity.SetIfPresent("ProviderMessageId", message.ProviderMessageId);
        entity.SetIfPresent("ErrorCode", message.ErrorCode);
        entity.SetIfPresent("ClaimedAt", message.ClaimedAt?.ToDateTimeOffset());
        entity.SetIfPresent("LeaseUntil", message.LeaseUntil?.ToDateTimeOffset());
        entity.SetIfPresent("SentAt", message.SentAt?.ToDateTimeOffset());
        entity.SetIfPresent("UpdatedAt", message.UpdatedAt?.ToDateTimeOffset());
        return entity;
    }

    public static OutboundMessage ToMessage(TableEntity entity) => new()
    {
        StageId = entity.Required("StageId"),
        Sequence = entity.RequiredInt32("Sequence"),
        DueAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("DueAt")),
        DueLocal = StoredValues.ToLocalDateTime(entity.Required("DueLocal")),
        ExpiresAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("ExpiresAt")),
        Body = entity.GetString("Body") ?? string.Empty,
        Locale = entity.GetString("Locale"),
        Encoding = StoredValues.ToEnum<SmsEncoding>(entity.Required("Encoding")),
        Segments = entity.RequiredInt32("Segments"),
        CancelOnRebook = entity.GetBoolean("CancelOnRebook") ?? false,
        Status = StoredValues.ToEnum<MessageStatus>(entity.Required("Status")),
        StatusReason = entity.GetString("StatusReason"),
        ProviderMessageId = entity.GetString("ProviderMessageId"),
        ErrorCode = entity.GetString("ErrorCode"),
        ClaimedAt = StoredValues.ToInstant(entity.GetDateTimeOffset("ClaimedAt")),
        LeaseUntil = StoredValues.ToInstant(entity.GetDateTimeOffset("LeaseUntil")),
        Attempts = entity.GetInt32("Attempts") ?? 0,
        SentAt = StoredValues.ToInstant(entity.GetDateTimeOffset("SentAt")),
        UpdatedAt = StoredValues.ToInstant(entity.GetDateTimeOffset("UpdatedAt")),
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
