using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Aftercare.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>POST /api/manage/optouts/backfill</c> (master key): notes every opt-out recorded by an older version in the client's
/// history, where registrations now learn of it (README, "Client replies"). One page per call: call again with the
/// answer's <c>continuation</c> until <c>done</c>. Safe to repeat.
/// </summary>
internal sealed class OptOutBackfillFunction(OptOutHistoryBackfill backfill)
{
    public const string Name = "BackfillOptOuts";

    private const int MaxBodyBytes = 4096;

    [Function(Name)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/optouts/backfill")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (call, problem) = await JsonBody.ReadOptionalAsync<BackfillOptOutsRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!OptOutHistoryBackfill.IsValidContinuation(call?.Continuation))
        {
            var errors = new ValidationErrors();
            errors.Add("continuation", "Not a token this route handed out: leave it out to start again.");
            return Problems.Validation(errors);
        }

        var page = await backfill.BackfillAsync(call?.Continuation, cancellationToken);
        return TypedResults.Ok(new BackfillOptOutsResponse(page.Noted, page.Continuation, page.Done));
    }
}
