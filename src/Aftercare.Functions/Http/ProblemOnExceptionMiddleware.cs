using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Http;

/// <summary>
/// An HTTP function that throws answers an RFC 9457 problem (500, no detail) instead of an empty failure, and the
/// exception is logged once with the invocation id. Non-HTTP functions (the timer) still fail, so the host records the
/// failed invocation and retries as it does.
/// </summary>
internal sealed class ProblemOnExceptionMiddleware(ILogger<ProblemOnExceptionMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (IsHttpTriggered(context) && !context.CancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "{FunctionName} failed in invocation {InvocationId}", context.FunctionDefinition.Name, context.InvocationId);
            context.GetInvocationResult().Value = Problems.Unexpected(context.InvocationId);
        }
    }

    private static bool IsHttpTriggered(FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => string.Equals(b.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase));
}
