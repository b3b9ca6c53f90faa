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

    [Function(Name)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/optouts/backfill")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (continuation, problem) = await ContinuationBody.ReadAsync(request, OptOutHistoryBackfill.IsValidContinuation, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var page = await backfill.BackfillAsync(continuation, cancellationToken);
        return TypedResults.Ok(new BackfillOptOutsResponse(page.Noted, page.Continuation, page.Done));
    }
}
