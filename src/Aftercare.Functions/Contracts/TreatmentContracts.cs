namespace Aftercare.Functions.Contracts;

public sealed record RegisterTreatmentRequest(
    string? ExternalId,
    ClientDto? Client,
    TreatmentDto? Treatment,
    ConsentDto? Consent);

public sealed record ClientDto(string? FirstName, string? Phone, string? Locale, string? TimeZone);

public sealed record TreatmentDto(string? Type, string? Device, decimal? NeedleDepthMm, string? Area, string? PerformedAt);

public sealed record ConsentDto(bool? Sms, string? CapturedAt, string? Method);

public sealed record TimelineResponse(
    string TreatmentId,
    string ExternalId,
    string Status,
    string? StatusReason,
    string PlanId,
    string TimeZone,
    string Locale,
    IReadOnlyList<TimelineMessage> Messages);

public sealed record TimelineMessage(
    string Stage,
    int Sequence,
    DateTimeOffset DueAtUtc,
    string DueAtLocal,
    string Status,
    string? StatusReason,
    string Text,
    string? TwilioSid,
    string? ErrorCode,
    DateTimeOffset? SentAtUtc,
    int Segments,
    string Encoding);
