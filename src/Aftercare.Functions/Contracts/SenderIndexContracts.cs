namespace Aftercare.Functions.Contracts;

/// <summary>The optional body of <c>POST /api/manage/senders/reindex</c>: where the previous call stopped (its <c>continuation</c>).</summary>
public sealed record ReindexSendersRequest(string? Continuation);

/// <summary>
/// One call's work: clinics recorded under their senders (first pass), stale index entries removed (second pass), and
/// the token to call again with, null once both passes are done.
/// </summary>
public sealed record ReindexSendersResponse(int ClinicsIndexed, int StaleEntriesRemoved, string? Continuation, bool Done);
