using System.Text.Json;
using System.Text.RegularExpressions;
using Aftercare.Core.Privacy;

namespace Aftercare.Sms.Twilio;

/// <summary>Reads Twilio's error body {code, message, more_info, status} into a <see cref="TwilioApiException"/>.</summary>
internal static partial class TwilioErrors
{
    public static TwilioApiException ToException(TwilioResponse response, TimeSpan? retryAfter)
    {
        int? code = null;
        string? message = null;
        Uri? moreInfo = null;
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
                message = Scrub(Text(root, "message") ?? Text(root, "detail") ?? Text(root, "title"));
                moreInfo = Uri.TryCreate(Text(root, "more_info"), UriKind.Absolute, out var uri) ? uri : null;
            }
        }
        catch (JsonException)
        {
            // Not Twilio's JSON (a proxy's HTML page, say): the status alone has to do.
        }

        var text = $"Twilio answered {response.Status} {response.ReasonPhrase}".TrimEnd()
            + (code is null ? string.Empty : $" (code {code})")
            + (message is null ? "." : $": {message}");
        return new TwilioApiException(response.Status, code, text, moreInfo, retryAfter);
    }

    // Twilio's messages quote the number ("The 'To' number +1555... is not valid"); exceptions end up in logs.
    internal static string? Scrub(string? message) =>
        message is null ? null : PhoneLike().Replace(message, match => PhoneMask.Mask(match.Value));

    [GeneratedRegex(@"\+\d{7,15}|\b\d{10,15}\b")]
    private static partial Regex PhoneLike();

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
