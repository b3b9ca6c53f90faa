using System.Text.Json;
using Aftercare.FunctionsHost.App;

namespace Aftercare.FunctionsHost.Functions;

/// <summary>
/// A <c>queue</c> output binding (<c>direction: out</c>; QueueOutputAttribute in the worker's Storage.Queues extension):
/// its binding name (<c>$return</c> for the return value, else the property or parameter name the worker reports in
/// <c>InvocationResponse.output_data</c>), the queue name as written (it may hold <c>%Setting%</c> references) and the
/// connection setting's name.
/// </summary>
internal sealed record QueueOutputBinding(string Name, string QueueName, string Connection)
{
    /// <summary>The connection setting prefix the WebJobs storage extensions use when a binding names none.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    /// <summary>The name the worker gives the return value's binding.</summary>
    public const string ReturnName = "$return";

    /// <summary>Every <c>queue</c> binding with <c>direction: out</c> in the function's raw bindings.</summary>
    public static IReadOnlyList<QueueOutputBinding> Parse(IEnumerable<string> rawBindings)
    {
        var outputs = new List<QueueOutputBinding>();
        foreach (var raw in rawBindings)
        {
            using var document = JsonDocument.Parse(raw);
            var binding = document.RootElement;
            if (string.Equals(JsonFile.GetString(binding, "type"), "queue", StringComparison.OrdinalIgnoreCase)
                && string.Equals(JsonFile.GetString(binding, "direction"), "out", StringComparison.OrdinalIgnoreCase))
            {
                outputs.Add(new QueueOutputBinding(
                    JsonFile.GetString(binding, "name") ?? ReturnName,
                    JsonFile.GetString(binding, "queueName") ?? string.Empty,
                    ConnectionOf(binding)));
            }
        }

        return outputs;
    }

    /// <summary>The binding's <c>connection</c>, or <see cref="DefaultConnection"/> when it names none.</summary>
    public static string ConnectionOf(JsonElement binding) =>
        JsonFile.GetString(binding, "connection") is { Length: > 0 } connection ? connection : DefaultConnection;
}
