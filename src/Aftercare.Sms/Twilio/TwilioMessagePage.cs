using System.Text.Json.Serialization;

namespace Aftercare.Sms.Twilio;

/// <summary>One page of Twilio's ListMessageResponse.</summary>
internal sealed record TwilioMessagePage
{
    [JsonPropertyName("messages")]
    public IReadOnlyList<TwilioMessage>? Messages { get; init; }

    [JsonPropertyName("next_page_uri")]
    public string? NextPageUri { get; init; }
}
