namespace Aftercare.Functions.Contracts;

public sealed record RegisterTreatmentRequest(
    string? ExternalId,
    ClientDto? Client,
    TreatmentDto? Treatment,
    ConsentDto? Consent);

public sealed record ClientDto(string? FirstName, string? Phone, string? Locale, string? TimeZone);

public sealed record TreatmentDto(string? Type, string? Device, decimal? NeedleDepthMm, string? Area, string? PerformedAt);

public sealed record ConsentDto(bool? Sms, string? CapturedAt, string? Method);

/// <summary>
/// A treatment's timeline: its messages in plan order and the client's replies in received order. Once its personal
/// data is erased, <c>erasedAtUtc</c> and <c>erasureReason</c> say so and every message's and reply's <c>text</c> is null.
/// </summary>
public sealed record TimelineResponse(
    string TreatmentId,
    string ExternalId,
    string Status,
    string? StatusReason,
    string PlanId,
    string TimeZone,
    string Locale,
    IReadOnlyList<TimelineMessage> Messages,
    DateTimeOffset? ErasedAtUtc,
    string? ErasureReason,
    IReadOnlyList<TimelineReply> Replies);

/// <summary>
/// A client's reply: when it reached us (UTC), its text (null once erased), its kind (<c>text</c>, <c>opt-out</c>,
/// <c>opt-in</c>, <c>help</c>), for free text the triage (<c>urgent</c>, <c>question</c>, <c>other</c>) with the ids of
/// the rules that matched, and the clinic's alert about it (null when none was raised).
/// </summary>
public sealed record TimelineReply(
    DateTimeOffset ReceivedAtUtc,
    string? Text,
    string Kind,
    string? Triage,
    IReadOnlyList<string>? MatchedRules,
    TimelineAlert? Alert);

/// <summary>
/// A clinic alert's delivery: <c>status</c> is <c>pending</c>, <c>sending</c>, <c>delivered</c> or <c>failed</c> for an
/// alert posted to the clinic's <c>alertWebhookUrl</c>, or <c>timeline-only</c> when the clinic has no alert URL (this
/// timeline is where its staff see it). <c>attempts</c> counts posts so far; <c>deliveredAtUtc</c> is when one was
/// answered 2xx; <c>lastError</c> why the last attempt failed (an HTTP status or a transport fault).
/// </summary>
public sealed record TimelineAlert(string? Id, string Status, int Attempts, DateTimeOffset? DeliveredAtUtc, string? LastError);

public sealed record TimelineMessage(
    string Stage,
    int Sequence,
    DateTimeOffset DueAtUtc,
    string DueAtLocal,
    string Status,
    string? StatusReason,
    string? Text,
    string? TwilioSid,
    string? ErrorCode,
    DateTimeOffset? SentAtUtc,
    int Segments,
    string Encoding);
