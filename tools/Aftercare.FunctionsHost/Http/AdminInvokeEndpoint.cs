using System.Text.Json;
using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Invocation;
using Aftercare.FunctionsHost.Worker;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Http;

/// <summary>
/// <c>POST /admin/functions/{name}</c> with the master key and <c>{"input": "…"}</c>: runs a non-HTTP function in the
/// background and answers 202 at once (azure-functions-host's FunctionsController.Invoke; Azure's "Manually run a
/// non HTTP-triggered function"). A disabled function runs too. No master key → 401; no body → 400; unknown function
/// → 404; an HTTP-triggered function → 400 (call its route).
/// </summary>
internal sealed class AdminInvokeEndpoint(WorkerSupervisor supervisor, FunctionInvoker invoker, HostKeys keys, FunctionsHostOptions options, ILogger logger)
{
    public const string Route = "admin/functions/{name}";

    public async Task InvokeAsync(HttpContext context)
    {
        if (keys.LevelOf(context.Request) != AuthorizationLevel.Admin)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (await ReadInputAsync(context.Request, context.RequestAborted) is not { } invocation)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var name = (string)context.Request.RouteValues["name"]!;
        var worker = await supervisor.WaitForReadyAsync(options.WorkerWaitTimeout, context.RequestAborted);
        if (worker is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var function = worker.Functions.Find(name);
        if (function is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (function.Trigger is HttpTriggerBinding)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        _ = Task.Run(() => RunAsync(function.Name, invocation.Input));
        context.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task RunAsync(string functionName, string? input)
    {
        try
        {
            await invoker.InvokeAsync(functionName, input, "This function was programmatically called via the host APIs.", status: null, CancellationToken.None);
        }
        catch (ArgumentException ex)
        {
            logger.LogError("On-demand run of '{FunctionName}' failed: {Error}", functionName, ex.Message);
        }
    }

    private static async Task<FunctionInvocation?> ReadInputAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<FunctionInvocation>(request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record FunctionInvocation(string? Input);
}
