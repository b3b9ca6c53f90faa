namespace Aftercare.Functions.Contracts;

/// <summary>One call's work: opt-outs noted in their clients' histories, and the token to call again with, null once all are.</summary>
public sealed record BackfillOptOutsResponse(int OptOutsNoted, string? Continuation, bool Done);
