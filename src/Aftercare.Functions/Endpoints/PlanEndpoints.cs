using Aftercare.Core.Plans;
using Aftercare.Functions.Http;

namespace Aftercare.Functions.Endpoints;

internal static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlanEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/plans/{planId}/preview", Preview).WithName("PreviewPlan").WithTags("Plans");
        return routes;
    }

    private static IResult Preview(string planId, string? performedAt, string? timeZone, string? locale, IPlanCatalog plans)
    {
        var errors = new ValidationErrors();
        var preview = PlanPreviewQuery.Run(plans, planId, performedAt, timeZone, locale, errors);
        return preview is null ? Problems.Validation(errors) : TypedResults.Ok(preview);
    }
}
