namespace Aftercare.Functions.Contracts;

/// <summary>
/// One call's work: clinics recorded under their senders (first pass), stale index entries removed (second pass), and
/// the token to call again with, null once both passes are done.
/// </summary>
public sealed record ReindexSendersResponse(int ClinicsIndexed, int StaleEntriesRemoved, string? Continuation, bool Done);
