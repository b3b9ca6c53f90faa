using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.TestWorker.Functions;

/// <summary>HTTP functions made for the local host's tests: what arrived, status codes, routes, auth levels, failures.</summary>
public sealed class HttpFunctions(IGreeting greeting, TimeProvider clock, ILogger<HttpFunctions> logger)
{
    /// <summary>Answers with what the worker received: method, path, raw query, headers and body.</summary>
    [Function("Echo")]
    public static async Task<IActionResult> Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", "patch", Route = "echo/{*rest}")] HttpRequest request,
        string? rest)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        return new OkObjectResult(new
        {
            request.Method,
            Path = request.Path.Value,
            RawQuery = request.QueryString.Value,
            Rest = rest,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Body = body,
        });
    }

    [Function("Status")]
    public static IActionResult Status([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "status/{code:int}")] HttpRequest request, int code) =>
        new ContentResult { StatusCode = code, Content = $"status {code}", ContentType = "text/plain" };

    [Function("GetItem")]
    public static IActionResult GetItem([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "items/{id:int}")] HttpRequest request, int id) =>
        new OkObjectResult(new { id, kind = "get" });

    [Function("DeleteItem")]
    public static IActionResult DeleteItem([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "items/{id:int}")] HttpRequest request, int id) =>
        new OkObjectResult(new { id, kind = "delete" });

    [Function("Optional")]
    public static IActionResult Optional([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "optional/{name?}")] HttpRequest request, string? name) =>
        new OkObjectResult(new { name });

    /// <summary>Parameters bound from trigger metadata: <c>who</c> from a JSON body property, <c>q</c> from the query.</summary>
    [Function("Bind")]
    public static IActionResult Bind([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "bind")] HttpRequest request, string? who, string? q) =>
        new OkObjectResult(new { who, q });

    [Function("FunctionLevel")]
    public static IActionResult FunctionLevel([HttpTrigger(AuthorizationLevel.Function, "get", Route = "secure/function")] HttpRequest request) =>
        new OkObjectResult("function level");

    [Function("AdminLevel")]
    public static IActionResult AdminLevel([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "secure/admin")] HttpRequest request) =>
        new OkObjectResult("admin level");

    /// <summary>Route defaults to the function name: <c>/api/Plain</c>, any method.</summary>
    [Function("Plain")]
    public static IActionResult Plain([HttpTrigger(AuthorizationLevel.Anonymous)] HttpRequest request) => new OkObjectResult("plain");

    /// <summary>A route in the host's own space: the worker would serve it, the host refuses it as Azure does.</summary>
    [Function("Reserved")]
    public static IActionResult Reserved([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/reserved")] HttpRequest request) =>
        new OkObjectResult("reserved");

    [Function("Throw")]
    public static IActionResult Throw([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "throw")] HttpRequest request) =>
        throw new InvalidOperationException("The test worker was asked to throw.");

    /// <summary>Kills its own process, as a crash would.</summary>
    [Function("Crash")]
    public static IActionResult Crash([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "crash")] HttpRequest request)
    {
        Process.GetCurrentProcess().Kill();
        return new OkResult();
    }

    /// <summary>Logs <c>marker=&lt;value of ?marker&gt;</c> at Information and an error with an exception.</summary>
    [Function("Log")]
    public IActionResult Log([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "log")] HttpRequest request)
    {
        var marker = request.Query["marker"].ToString();
        logger.LogInformation("marker={Marker}", marker);
        logger.LogError(new InvalidOperationException("logged failure " + marker), "error marker={Marker}", marker);
        return new OkResult();
    }

    /// <summary>What the worker's services say: a test that attaches the worker in-process swaps them.</summary>
    [Function("Services")]
    public IActionResult Services([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "services")] HttpRequest request) =>
        new OkObjectResult(new { greeting = greeting.Text, now = clock.GetUtcNow() });

    /// <summary>The trace context the invocation carried (the host's <c>trace_context</c>).</summary>
    [Function("Trace")]
    public static IActionResult Trace([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "trace")] HttpRequest request, FunctionContext context) =>
        new OkObjectResult(new { traceParent = context.TraceContext.TraceParent, traceState = context.TraceContext.TraceState });

    /// <summary>The invocation's trigger metadata as the worker received it (its binding data), values as text.</summary>
    [Function("Metadata")]
    public static IActionResult Metadata([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "metadata/{id}")] HttpRequest request, FunctionContext context) =>
        new OkObjectResult(context.BindingContext.BindingData.ToDictionary(p => p.Key, p => p.Value?.ToString()));

    /// <summary>An environment variable as the worker sees it (app settings arrive as environment variables).</summary>
    [Function("Environment")]
    public static IActionResult EnvironmentVariable([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "environment/{name}")] HttpRequest request, string name) =>
        new OkObjectResult(new { name, value = System.Environment.GetEnvironmentVariable(name) });
}
