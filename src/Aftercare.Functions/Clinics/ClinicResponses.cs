using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Functions.Contracts;
using NodaTime.Text;

namespace Aftercare.Functions.Clinics;

internal static class ClinicResponses
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>The clinic as the API shows it: settings and template overrides, never the webhook secret.</summary>
    public static ClinicResponse ToResponse(this Clinic clinic) => new(
        clinic.Id,
        clinic.Name,
        clinic.TimeZoneId,
        clinic.SenderPhone,
        clinic.MessagingServiceSid,
        clinic.BookingUrl,
        clinic.ContactPhone,
        clinic.AlertWebhookUrl,
        new QuietHoursDto(TimePattern.Format(clinic.QuietHours.Start), TimePattern.Format(clinic.QuietHours.End)),
        clinic.DefaultLocale,
        clinic.TemplateOverrides
            .Select(o => (Key: o.Key.Split(':', 2), Text: o.Value))
            .GroupBy(o => o.Key[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(o => o.Key[1], o => o.Text, StringComparer.Ordinal), StringComparer.Ordinal),
        [.. clinic.AlertTypes.Order().Select(t => t.ToWire())]);
}
