namespace Aftercare.Sms.Twilio;

/// <summary>A text to create: from a Twilio number (<see cref="From"/>) or a messaging service, exactly one of them.</summary>
public sealed record CreateMessageOptions(string To, string Body)
{
    public string? From { get; init; }

    public string? MessagingServiceSid { get; init; }

    /// <summary>Where Twilio posts this text's delivery status; none when null.</summary>
    public Uri? StatusCallback { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(To))
        {
            throw new ArgumentException("To is required.", nameof(To));
        }

        if (string.IsNullOrEmpty(Body))
        {
            throw new ArgumentException("Body is required.", nameof(Body));
        }

        if (string.IsNullOrEmpty(From) == string.IsNullOrEmpty(MessagingServiceSid))
        {
            throw new ArgumentException("Set exactly one of From and MessagingServiceSid.");
        }
    }
}
