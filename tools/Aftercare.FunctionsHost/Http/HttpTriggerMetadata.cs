using System.Text.Encodings.Web;
using System.Text.Json;
using Aftercare.FunctionsHost.Rpc;
using Microsoft.AspNetCore.Http;

namespace Aftercare.FunctionsHost.Http;

/// <summary>
/// The trigger metadata of an HTTP invocation, built as the WebJobs HTTP extension builds its binding data
/// (HttpTriggerAttributeBindingProvider.GetRequestBindingData) and the host converts it (GrpcMessageConversionExtensions):
/// top-level properties of a JSON object body (objects as <c>json</c>, other values as <c>string</c>, arrays and nulls
/// left out), then query parameters (last value wins, <c>code</c> left out), then route values, each overriding the
/// previous by name (case-insensitive); then <c>Query</c> and <c>Headers</c> as JSON objects unless a name above took them.
/// This is how a function parameter such as <c>string id</c> gets its value.
/// </summary>
internal static class HttpTriggerMetadata
{
    private static readonly JsonSerializerOptions DictionaryJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="body">The request body as text when it has a positive Content-Length, else null.</param>
    public static Dictionary<string, TypedData> Build(HttpRequest request, string? body)
    {
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        if (body is not null)
        {
            AddBodyProperties(body, metadata);
        }

        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Query)
        {
            query[name] = values.LastOrDefault() ?? string.Empty;
        }

        foreach (var (name, value) in query)
        {
            if (!name.Equals(HostKeys.KeyQueryParameter, StringComparison.OrdinalIgnoreCase))
            {
                Set(metadata, name, new TypedData { String = value });
            }
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is not null)
            {
                Set(metadata, name, new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty });
            }
        }

        metadata.TryAdd("Query", Json(query));
        metadata.TryAdd("Headers", Json(request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        return metadata;
    }

    private static void AddBodyProperties(string body, Dictionary<string, TypedData> metadata)
    {
        var trimmed = body.Trim();
        if (!trimmed.StartsWith('{') || !trimmed.EndsWith('}'))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                TypedData? value = property.Value.ValueKind switch
                {
                    JsonValueKind.Object => new TypedData { Json = property.Value.GetRawText() },
                    JsonValueKind.String => new TypedData { String = property.Value.GetString() },
                    JsonValueKind.Number => new TypedData { String = property.Value.GetRawText() },
                    JsonValueKind.True => new TypedData { String = bool.TrueString },
                    JsonValueKind.False => new TypedData { String = bool.FalseString },
                    _ => null,
                };
                if (value is not null)
                {
                    Set(metadata, property.Name, value);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: no binding data from the body, as in the real host.
        }
    }

    // Keeps the casing of the first writer, as a case-insensitive Dictionary indexer does in the real host.
    private static void Set(Dictionary<string, TypedData> metadata, string name, TypedData value) => metadata[name] = value;

    private static TypedData Json(Dictionary<string, string> values) => new() { Json = JsonSerializer.Serialize(values, DictionaryJson) };
}
