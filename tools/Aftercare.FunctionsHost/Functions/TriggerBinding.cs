using System.Text.Json;
using Aftercare.FunctionsHost.App;

namespace Aftercare.FunctionsHost.Functions;

/// <summary>
/// A function's trigger, from the raw binding JSON the worker reports (the Sdk's functions.metadata shape). Each
/// trigger type the host drives gets its own record (HTTP, timer, queue); another trigger adds one here and a listener
/// that invokes through <see cref="Invocation.FunctionInvoker"/>.
/// </summary>
/// <param name="Name">The trigger parameter's binding name: the name of the invocation's input.</param>
/// <param name="Type">The binding type as reported, e.g. <c>httpTrigger</c>.</param>
internal abstract record TriggerBinding(string Name, string Type)
{
    /// <exception cref="InvalidOperationException">No binding of the function is an input trigger.</exception>
    public static TriggerBinding Parse(string functionName, IEnumerable<string> rawBindings)
    {
        foreach (var raw in rawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var binding = document.RootElement;
            var type = JsonFile.GetString(binding, "type") ?? string.Empty;
            var direction = JsonFile.GetString(binding, "direction") ?? "in";
            if (!type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase)
                || !direction.Equals("in", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = JsonFile.GetString(binding, "name") ?? string.Empty;
            return type.ToUpperInvariant() switch
            {
                "HTTPTRIGGER" => HttpTriggerBinding.From(name, type, binding),
                "TIMERTRIGGER" => TimerTriggerBinding.From(name, type, binding),
                "QUEUETRIGGER" => QueueTriggerBinding.From(name, type, binding),
                _ => new UnsupportedTriggerBinding(name, type),
            };
        }

        throw new InvalidOperationException($"Function '{functionName}' has no trigger binding.");
    }
}

/// <summary>An <c>httpTrigger</c>: route template (without the route prefix), methods, and authorization level.</summary>
/// <param name="Route">The route template as declared, or null to default to the function name.</param>
/// <param name="Methods">Allowed methods, lower case; empty allows every method.</param>
internal sealed record HttpTriggerBinding(string Name, string Type, string? Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel)
    : TriggerBinding(Name, Type)
{
    public static HttpTriggerBinding From(string name, string type, JsonElement binding)
    {
        string[] methods = JsonFile.TryGetProperty(binding, "methods", out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!.ToLowerInvariant())]
            : [];
        var level = Enum.TryParse<AuthorizationLevel>(JsonFile.GetString(binding, "authLevel"), ignoreCase: true, out var parsed)
            ? parsed
            : AuthorizationLevel.Function;
        return new HttpTriggerBinding(name, type, JsonFile.GetString(binding, "route"), methods, level);
    }
}

/// <summary>A <c>timerTrigger</c>: its schedule expression as written (it may hold <c>%Setting%</c> references).</summary>
internal sealed record TimerTriggerBinding(string Name, string Type, string Schedule, bool UseMonitor)
    : TriggerBinding(Name, Type)
{
    public static TimerTriggerBinding From(string name, string type, JsonElement binding)
    {
        var useMonitor = !JsonFile.TryGetProperty(binding, "useMonitor", out var monitor) || monitor.ValueKind != JsonValueKind.False;
        return new TimerTriggerBinding(name, type, JsonFile.GetString(binding, "schedule") ?? string.Empty, useMonitor);
    }
}

/// <summary>
/// A <c>queueTrigger</c> (Microsoft.Azure.Functions.Worker.Extensions.Storage.Queues' QueueTriggerAttribute as the Sdk
/// writes it to functions.metadata): the queue name as written (it may hold <c>%Setting%</c> references), the
/// connection setting's name (default <c>AzureWebJobsStorage</c>) and the parameter's <c>dataType</c> (<c>String</c> for a
/// string parameter, <c>Binary</c> for bytes, none for a POCO).
/// </summary>
internal sealed record QueueTriggerBinding(string Name, string Type, string QueueName, string Connection, string? DataType)
    : TriggerBinding(Name, Type)
{
    public static QueueTriggerBinding From(string name, string type, JsonElement binding) =>
        new(name, type, JsonFile.GetString(binding, "queueName") ?? string.Empty, QueueOutputBinding.ConnectionOf(binding), JsonFile.GetString(binding, "dataType"));
}

/// <summary>A trigger this host does not drive yet: the function loads, and can only be run on demand.</summary>
internal sealed record UnsupportedTriggerBinding(string Name, string Type) : TriggerBinding(Name, Type);
