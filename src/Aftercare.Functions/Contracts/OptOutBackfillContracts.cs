namespace Aftercare.Functions.Contracts;

/// <summary>The optional body of <c>POST /api/manage/optouts/backfill</c>: where the previous call stopped (its <c>continuation</c>).</summary>
public sealed record BackfillOptOutsRequest(string? Continuation);

/// <summary>One call's work: opt-outs noted in their clients' histories, and the token to call again with, null once all are.</summary>
public sealed record BackfillOptOutsResponse(int OptOutsNoted, string? Continuation, bool Done);
