namespace Aftercare.Functions.Contracts;

public sealed record CreateClinicRequest(
    string? Name,
    string? TimeZone,
    string? SenderPhone,
    string? MessagingServiceSid,
    string? BookingUrl,
    string? ContactPhone,
    string? AlertWebhookUrl,
    QuietHoursDto? QuietHours,
    string? DefaultLocale);

public sealed record QuietHoursDto(string? Start, string? End);

public sealed record ClinicResponse(
    string ClinicId,
    string Name,
    string TimeZone,
    string? SenderPhone,
    string? MessagingServiceSid,
    string BookingUrl,
    string ContactPhone,
    string? AlertWebhookUrl,
    QuietHoursDto QuietHours,
    string DefaultLocale);

/// <summary>The one response that carries the webhook secret: the clinic must store it now.</summary>
public sealed record CreatedClinicResponse(string ClinicId, string WebhookSecret, ClinicResponse Clinic);
