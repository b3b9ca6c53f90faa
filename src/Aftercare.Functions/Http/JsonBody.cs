using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Aftercare.Functions.Http;

internal static class JsonBody
{
    private const string JsonMediaType = "application/json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Checks the content type, reads a body of at most <paramref name="maxBytes"/> and parses it; the problem says why
    /// when it cannot (415, 413 or 400).
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (UnsupportedContentType(request) is { } unsupported)
        {
            return (null, unsupported);
        }

        var body = await BoundedBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }

        return TryParse<T>(body, out var value, out var problem) ? (value, null) : (null, problem);
    }

    /// <summary>
    /// Reads an optional body of at most <paramref name="maxBytes"/>: none at all is a null value; one that is there must
    /// be JSON of the right shape (415, 413 or 400 otherwise, as on every JSON route).
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadOptionalAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        var body = await BoundedBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return (null, Problems.PayloadTooLarge(maxBytes));
        }

        if (body.Length == 0)
        {
            return (null, null);
        }

        if (UnsupportedContentType(request) is { } unsupported)
        {
            return (null, unsupported);
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

    /// <summary>
    /// A 415 problem unless <c>Content-Type</c> is <c>application/json</c> (media type in any case), bare or with the one
    /// parameter <c>charset=utf-8</c> (RFC 8259 §8.1: JSON between systems is UTF-8); null when the body may be read.
    /// A missing header, <c>text/plain</c>, <c>multipart/form-data</c> or another charset are all refused.
    /// </summary>
    public static IResult? UnsupportedContentType(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var isJson = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)
            && type.Parameters.All(parameter =>
                parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase) && parameter.Value.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            && type.Parameters.Count <= 1;
        return isJson ? null : Problems.UnsupportedMediaType($"Send the body as {JsonMediaType} (optionally with charset=utf-8).");
    }
}
