using Aftercare.Core.Clinics;

namespace Aftercare.Functions.Endpoints;

internal static class HealthEndpoints
{
    /// <summary>A well-formed clinic id that is never issued: looking it up is a real round trip to storage.</summary>
    private const string ProbeClinicId = "cl_00000000000000000000";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/health", CheckAsync).WithName("Health").WithTags("Operations");
        return routes;
    }

    private static async Task<IResult> CheckAsync(IClinicStore clinics, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await clinics.FindAsync(ProbeClinicId, timeout.Token);
            return TypedResults.Ok(new { status = "healthy", storage = "reachable" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            loggers.CreateLogger("Aftercare.Health").LogWarning(ex, "Storage is not reachable");
            return TypedResults.Problem(
                "Table storage did not answer.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage unreachable",
                type: "https://aftercare.example/problems/storage-unreachable");
        }
    }
}
