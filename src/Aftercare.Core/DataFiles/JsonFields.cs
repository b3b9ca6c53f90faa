using System.Text.Json;

namespace Aftercare.Core.DataFiles;

/// <summary>
/// Reading the JSON data files the app ships (plans, triage rules): each failure is reported through the caller's
/// <c>fail(field, problem)</c>, so every file type names its own exception, file and JSON path.
/// </summary>
internal static class JsonFields
{
    public static JsonElement Property(JsonElement owner, string name, string path, Func<string, string, Exception> fail) =>
        owner.TryGetProperty(name, out var value) ? value : throw fail(path, "is missing");

    public static string NonEmptyString(JsonElement element, string path, Func<string, string, Exception> fail) =>
        element.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(element.GetString())
            ? element.GetString()!
            : throw fail(path, "must be a non-empty string");

    /// <summary>An object holding only the <paramref name="allowed"/> fields.</summary>
    public static void RequireObject(JsonElement element, string path, IReadOnlyCollection<string> allowed, Func<string, string, Exception> fail)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw fail(path, "must be an object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                var field = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                throw fail(field, $"is not a known field (known: {string.Join(", ", allowed)})");
            }
        }
    }
}
