namespace Aftercare.Functions.Contracts;

/// <summary>The optional body of <c>POST /api/manage/clinics/{clinicId}/secret</c>: hours the replaced secret keeps working, 0 to 168 (24 when absent).</summary>
public sealed record RotateSecretRequest(int? GraceHours);

/// <summary>The new webhook secret, shown only here, and until when (UTC, exclusive) the replaced one still verifies requests; null when it stopped at once.</summary>
public sealed record RotatedSecretResponse(string ClinicId, string WebhookSecret, DateTimeOffset? PreviousSecretAcceptedUntil);

/// <summary>
/// What erasing a client at a clinic erased, in total (the same answer when asked again): treatments whose name and
/// phone are gone, message texts gone, pending messages cancelled, and texts on their way right now (while any are,
/// the erasure finishes once they settle).
/// </summary>
public sealed record ClientErasureResponse(int ErasedTreatments, int ErasedMessages, int CancelledMessages, int InFlightMessages);

/// <summary>
/// One call's work: clinic secrets sealed again with the active key (on the first call only), treatments whose client rows
/// were moved to keyed hashes, and the token to call again with, null once every treatment has been seen.
/// </summary>
public sealed record MigratePrivacyResponse(int ClinicsResealed, int TreatmentsMigrated, string? Continuation, bool Done);
