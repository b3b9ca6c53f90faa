using System.Security.Cryptography;
using System.Text.Json;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// A clinic as one row: PK = clinic id, RK = "clinic". Webhook secrets are never stored in clear: WebhookSecretSealed
/// (and, during a rotation's grace period, RetiringWebhookSecretSealed with RetiringWebhookSecretUntil) hold them sealed
/// by <see cref="SecretCipher"/>, bound to the clinic and the column. A row written before secrets were sealed has a
/// clear WebhookSecret column instead; it is read as it is and sealed on its next write (README, "Privacy at rest").
/// </summary>
internal static class ClinicEntities
{
    public const string RowKey = "clinic";

    private const string Sealed = "WebhookSecretSealed";
    private const string RetiringSealed = "RetiringWebhookSecretSealed";
    private const string RetiringUntil = "RetiringWebhookSecretUntil";
    private const string LegacyClear = "WebhookSecret";

    public static TableEntity ToEntity(Clinic clinic, SecretCipher cipher)
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
            [Sealed] = cipher.Seal(clinic.WebhookSecret, Context(clinic.Id, Sealed)),
            ["TemplateOverrides"] = JsonSerializer.Serialize(clinic.TemplateOverrides),
            ["CreatedAt"] = StoredValues.ToStored(clinic.CreatedAt),
        };
        entity.SetIfPresent("SenderPhone", clinic.SenderPhone);
        entity.SetIfPresent("MessagingServiceSid", clinic.MessagingServiceSid);
        entity.SetIfPresent("AlertWebhookUrl", clinic.AlertWebhookUrl);
        entity["AlertTypes"] = string.Join(',', clinic.AlertTypes.Order().Select(t => t.ToWire()));
        if (clinic.RetiringWebhookSecret is { } retiring)
        {
            entity[RetiringSealed] = cipher.Seal(retiring.Secret, Context(clinic.Id, RetiringSealed));
            entity[RetiringUntil] = StoredValues.ToStored(retiring.AcceptedUntil);
        }

        return entity;
    }

    /// <exception cref="InvalidDataException">A secret does not open (its key is not configured, or the value was altered); the message names the clinic and key id only.</exception>
    public static Clinic FromEntity(TableEntity entity, SecretCipher cipher) => new()
    {
        Id = entity.PartitionKey,
        Name = entity.Required("Name"),
        TimeZoneId = entity.Required("TimeZoneId"),
        SenderPhone = entity.GetString("SenderPhone"),
        MessagingServiceSid = entity.GetString("MessagingServiceSid"),
        BookingUrl = entity.Required("BookingUrl"),
        ContactPhone = entity.Required("ContactPhone"),
        AlertWebhookUrl = entity.GetString("AlertWebhookUrl"),
        AlertTypes = entity.GetString("AlertTypes") is { } alertTypes ? ReadAlertTypes(alertTypes) : ClinicAlertTypes.Default,
        QuietHours = new QuietHours(StoredValues.ToLocalTime(entity.Required("QuietStart")), StoredValues.ToLocalTime(entity.Required("QuietEnd"))),
        DefaultLocale = entity.Required("DefaultLocale"),
        WebhookSecret = entity.GetString(Sealed) is { } sealedSecret ? Open(entity, Sealed, sealedSecret, cipher) : entity.Required(LegacyClear),
        RetiringWebhookSecret = entity.GetString(RetiringSealed) is { } retiring
            ? new RetiringSecret(Open(entity, RetiringSealed, retiring, cipher), StoredValues.ToInstant(entity.RequiredDateTimeOffset(RetiringUntil)))
            : null,
        TemplateOverrides = entity.GetString("TemplateOverrides") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : new Dictionary<string, string>(),
        CreatedAt = StoredValues.ToInstant(entity.RequiredDateTimeOffset("CreatedAt")),
    };

    /// <summary>A stored, comma-separated list of wire names; a row written before the setting existed has the default.</summary>
    /// <exception cref="InvalidDataException">A name is not an alert type.</exception>
    private static HashSet<ClinicAlertType> ReadAlertTypes(string stored) =>
        [.. stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name => ClinicAlertTypes.TryParse(name, out var type)
            ? type
            : throw new InvalidDataException("A clinic row has an unknown alert type."))];

    /// <summary>True when the row holds a secret in clear, or one sealed with another key than the active one: resealing it is due.</summary>
    public static bool NeedsResealing(TableEntity entity, SecretCipher cipher) =>
        entity.GetString(LegacyClear) is not null
        || !string.Equals(SecretCipher.KeyIdOf(entity.GetString(Sealed)), cipher.ActiveKeyId, StringComparison.OrdinalIgnoreCase)
        || (entity.GetString(RetiringSealed) is { } retiring && !string.Equals(SecretCipher.KeyIdOf(retiring), cipher.ActiveKeyId, StringComparison.OrdinalIgnoreCase));

    private static string Context(string clinicId, string column) => $"clinics/{clinicId}/{column}";

    private static string Open(TableEntity entity, string column, string value, SecretCipher cipher)
    {
        try
        {
            return cipher.Open(value, Context(entity.PartitionKey, column));
        }
        catch (SecretKeyNotFoundException ex)
        {
            throw new InvalidDataException(
                $"Clinic {entity.PartitionKey}'s {column} is sealed with secret key '{ex.KeyId}', which is not configured: add it back "
                + $"(Aftercare__Privacy__SecretKeys__{ex.KeyId}) until every secret sealed with it has been resealed.",
                ex);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"Clinic {entity.PartitionKey}'s {column} cannot be opened: {ex.Message}", ex);
        }
    }
}
