using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aftercare.Sms.Twilio;

/// <summary>Twilio's 2010 API writes dates as RFC 2822, e.g. "Thu, 24 Aug 2023 05:01:45 +0000".</summary>
internal sealed class Rfc2822DateConverter : JsonConverter<DateTimeOffset?>
{
    private const string Pattern = "ddd, dd MMM yyyy HH:mm:ss zzz";

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var text = reader.GetString();
        return string.IsNullOrEmpty(text) ? null : Parse(text);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } date)
        {
            writer.WriteStringValue(Format(date));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    internal static DateTimeOffset Parse(string text)
    {
        // "+0000" is not a .NET offset pattern; "+00:00" is.
        var normalized = text.Length > 5 && text[^5] is '+' or '-' ? text[..^2] + ":" + text[^2..] : text;
        if (DateTimeOffset.TryParseExact(normalized, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        throw new JsonException($"'{text}' is not an RFC 2822 date.");
    }

    internal static string Format(DateTimeOffset date) =>
        date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";
}
