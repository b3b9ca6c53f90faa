using System.Globalization;
using System.Text.Json;
using Azure;

namespace Aftercare.Storage.Tables;

/// <summary>Turns a failed response into the typed exception for its status, with the service's error code.</summary>
internal static class TableErrors
{
    public static RequestFailedException FromResponse(Response response, string operation)
    {
        var (code, text) = Parse(response.Content.ToString());
        code ??= response.Headers.TryGetValue("x-ms-error-code", out var header) ? header : null;
        return Create(response.Status, code, $"{operation} failed: {response.Status} {code} {FirstLine(text)}".TrimEnd());
    }

    public static RequestFailedException Create(int status, string? code, string message) => status switch
    {
        404 => new TableNotFoundException(message, code),
        409 => new TableConflictException(message, code),
        412 => new TablePreconditionFailedException(message, code),
        _ => new RequestFailedException(status, message, code, null),
    };

    /// <summary>The odata.error code and message text, if the body is one.</summary>
    public static (string? Code, string? Message) Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("odata.error", out var error))
            {
                var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                var message = error.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString() : null;
                return (code, message);
            }
        }
        catch (JsonException)
        {
            // Not JSON (an XML error from a proxy, say): keep the status alone.
        }

        return (null, null);
    }

    /// <summary>A batch error message starts with the failing action's index: "2:The specified entity already exists.".</summary>
    public static int? FailedIndex(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    public static string? FirstLine(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
