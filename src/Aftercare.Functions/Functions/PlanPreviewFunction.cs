using Aftercare.Core;
using Aftercare.Core.Plans;
using Aftercare.Functions.Http;
using Aftercare.Functions.Plans;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Aftercare.Functions.Functions;

/// <summary><c>GET /api/plans/{planId}/preview?performedAt=&amp;timeZone=&amp;locale=</c>: the rendered timeline, nothing stored.</summary>
internal sealed class PlanPreviewFunction(IPlanCatalog plans, TimeProvider time)
{
    [Function("PreviewPlan")]
    public IResult Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "plans/{planId}/preview")] HttpRequest request,
        string planId)
    {
        var errors = new ValidationErrors();
        var query = request.Query;
        var preview = PlanPreviewQuery.Run(plans, planId, query["performedAt"], query["timeZone"], query["locale"], time.GetCurrentInstant(), errors);
        return preview is null ? Problems.Validation(errors) : TypedResults.Ok(preview);
    }
}
