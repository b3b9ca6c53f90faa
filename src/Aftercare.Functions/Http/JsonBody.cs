using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Aftercare.Functions.Http;

internal static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a body of at most <paramref name="maxBytes"/> and parses it; the problem says why when it cannot.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        var body = await BoundedBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }

        return TryParse<T>(body, out var value, out var problem) ? (value, null) : (null, problem);
    }

    /// <summary>Parses a request body; anything that is not a JSON object of the right shape is a 400, never a 500.</summary>
    public static bool TryParse<T>(ReadOnlySpan<byte> body, out T? value, out IResult? problem)
        where T : class
    {
        value = null;
        problem = null;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, Options);
        }
        catch (JsonException ex)
        {
            problem = Problems.MalformedJson(ex.Path is { Length: > 0 } path ? $"Unreadable value at {path}." : "The body could not be read as JSON.");
            return false;
        }

        if (value is null)
        {
            problem = Problems.MalformedJson("A JSON object is required.");
            return false;
        }

        return true;
    }
}
