using Aftercare.Core.Clinics;
using Aftercare.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary><c>GET /api/health</c>: liveness, and whether Table Storage answers (a real round trip).</summary>
internal sealed class HealthFunction(IClinicStore clinics, ILogger<HealthFunction> logger)
{
    /// <summary>A well-formed clinic id that is never issued: looking it up is a real round trip to storage.</summary>
    private const string ProbeClinicId = "cl_00000000000000000000";

    private static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(5);

    [Function("Health")]
    public async Task<IResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StorageTimeout);
            await clinics.FindAsync(ProbeClinicId, timeout.Token);
            return TypedResults.Ok(new HealthResponse("healthy", "reachable"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Storage is not reachable");
            return Problems.StorageUnreachable();
        }
    }
}

/// <summary>The health answer: <c>{"status":"healthy","storage":"reachable"}</c>.</summary>
internal sealed record HealthResponse(string Status, string Storage);
