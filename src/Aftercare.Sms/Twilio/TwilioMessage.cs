using System.Text.Json.Serialization;

namespace Aftercare.Sms.Twilio;

/// <summary>The parts of Twilio's Message resource (api.v2010.account.message) that Aftercare uses.</summary>
public sealed record TwilioMessage
{
    [JsonPropertyName("sid")]
    public required string Sid { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("error_code")]
    public int? ErrorCode { get; init; }

    [JsonPropertyName("error_message")]
    public string? ErrorMessage { get; init; }

    [JsonPropertyName("date_created")]
    [JsonConverter(typeof(Rfc2822DateConverter))]
    public DateTimeOffset? DateCreated { get; init; }

    [JsonPropertyName("date_sent")]
    [JsonConverter(typeof(Rfc2822DateConverter))]
    public DateTimeOffset? DateSent { get; init; }

    [JsonPropertyName("date_updated")]
    [JsonConverter(typeof(Rfc2822DateConverter))]
    public DateTimeOffset? DateUpdated { get; init; }

    [JsonPropertyName("to")]
    public string? To { get; init; }

    [JsonPropertyName("from")]
    public string? From { get; init; }

    [JsonPropertyName("messaging_service_sid")]
    public string? MessagingServiceSid { get; init; }

    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>Twilio sends this number as a string.</summary>
    [JsonPropertyName("num_segments")]
    [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
    public int? NumSegments { get; init; }

    [JsonPropertyName("direction")]
    public string? Direction { get; init; }
}
