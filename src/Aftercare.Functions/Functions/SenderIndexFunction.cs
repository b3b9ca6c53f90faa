using Aftercare.Functions.Contracts;
using Aftercare.Functions.Http;
using Aftercare.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary>
/// <c>POST /api/manage/senders/reindex</c> (master key): records every clinic under its senders in the sender index that
/// routes client replies, for clinics created before the index existed, and removes entries of senders a clinic no
/// longer uses (README, "Client replies"). One page per call: call again with the answer's <c>continuation</c> until
/// <c>done</c>. Safe to repeat.
/// </summary>
internal sealed class SenderIndexFunction(SenderIndexRebuild rebuild)
{
    public const string Name = "ReindexSenders";

    [Function(Name)]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "manage/senders/reindex")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (continuation, problem) = await ContinuationBody.ReadAsync(request, SenderIndexRebuild.IsValidContinuation, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var page = await rebuild.ReindexAsync(continuation, cancellationToken);
        return TypedResults.Ok(new ReindexSendersResponse(page.ClinicsIndexed, page.StaleEntriesRemoved, page.Continuation, page.Done));
    }
}
