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
    string? DefaultLocale,
    IReadOnlyList<string?>? AlertTypes = null);

public sealed record QuietHoursDto(string? Start, string? End);

/// <summary>
/// A partial update: only the fields present change. <c>alertTypes</c>, when present, replaces the list. <c>templateOverrides</c> maps a stage id to locale → text;
/// a null text removes that override.
/// </summary>
public sealed record UpdateClinicRequest(
    string? BookingUrl,
    string? ContactPhone,
    string? AlertWebhookUrl,
    QuietHoursDto? QuietHours,
    Dictionary<string, Dictionary<string, string?>>? TemplateOverrides,
    IReadOnlyList<string?>? AlertTypes = null);

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
    string DefaultLocale,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> TemplateOverrides,
    IReadOnlyList<string> AlertTypes);

/// <summary>The one response that carries the webhook secret: the clinic must store it now.</summary>
public sealed record CreatedClinicResponse(string ClinicId, string WebhookSecret, ClinicResponse Clinic);
