namespace Aftercare.Functions.Contracts;

/// <summary>
/// The optional body of the paged admin routes (<c>POST /api/manage/optouts/backfill</c>, <c>/senders/reindex</c>,
/// <c>/privacy/migrate</c>): where the previous call stopped (its answer's <c>continuation</c>); none starts at the beginning.
/// </summary>
public sealed record ContinuationRequest(string? Continuation);
