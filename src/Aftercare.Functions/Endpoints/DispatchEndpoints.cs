using System.Text.Json;
using Aftercare.Core.Delivery;
using Aftercare.Functions.Http;

namespace Aftercare.Functions.Endpoints;

/// <summary>
/// The timer function. The Functions host posts an invocation payload (<c>{"Data":{"timer":…},"Metadata":{…}}</c>)
/// to <c>/DispatchDueMessages</c> every minute and expects <c>{"Outputs":{},"Logs":[…],"ReturnValue":null}</c>.
/// </summary>
internal static class DispatchEndpoints
{
    public const string FunctionName = "DispatchDueMessages";

    public static IEndpointRouteBuilder MapDispatchEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/" + FunctionName, InvokeAsync).WithName(FunctionName).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> InvokeAsync(HttpRequest request, MessageDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var body = await BoundedBody.ReadAsync(request, 64 * 1024, cancellationToken);
        if (body is null)
        {
            return Problems.PayloadTooLarge(64 * 1024);
        }

        if (body.Length > 0 && !JsonBody.TryParse<InvocationRequest>(body, out _, out var problem))
        {
            return problem!;
        }

        var report = await dispatcher.DispatchDueAsync(cancellationToken);
        return TypedResults.Ok(new InvocationResponse(
            Outputs: new Dictionary<string, object?>(),
            Logs: [$"due={report.Due} sent={report.Sent} settled={report.Settled} deferred={report.Deferred} inDoubt={report.InDoubt} held={report.Held} faulted={report.Faulted}"],
            ReturnValue: null));
    }
}

/// <summary>The custom handler invocation payload; only its shape is checked, the timer data is not needed.</summary>
internal sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>The custom handler invocation response, with the host's PascalCase names.</summary>
internal sealed record InvocationResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: System.Text.Json.Serialization.JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: System.Text.Json.Serialization.JsonPropertyName("ReturnValue")] object? ReturnValue);
