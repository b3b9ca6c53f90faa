namespace Aftercare.Sms.Twilio;

/// <summary>
/// A Twilio request failed, said without personal data. The SDK's own exceptions quote the phone number (an error
/// message like "The 'To' number +1555… is not valid", or a connection error naming the URL with its <c>To</c> filter),
/// so they never leave this adapter: this exception replaces them, carrying only what is safe to log.
/// </summary>
public sealed class TwilioRequestException : Exception
{
    public TwilioRequestException()
        : this("A Twilio request failed.")
    {
    }

    public TwilioRequestException(string message)
        : base(message)
    {
    }

    public TwilioRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status Twilio answered with; null when no answer came.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Twilio's error code (its "Error and Warning Dictionary", e.g. 20429); null when there was none.</summary>
    public int? TwilioCode { get; init; }
}
