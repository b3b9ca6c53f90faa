using Azure;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Twilio answered with an error: its body {code, message, more_info, status}. <see cref="RequestFailedException.Status"/>
/// is the HTTP status, <see cref="Code"/> Twilio's own error code (21610 unsubscribed, 21211 invalid number, ...).
/// </summary>
public sealed class TwilioApiException : RequestFailedException
{
    public TwilioApiException(int status, int? code, string message, Uri? moreInfo, TimeSpan? retryAfter)
        : base(status, message, code?.ToString(), innerException: null)
    {
        Code = code;
        MoreInfo = moreInfo;
        RetryAfter = retryAfter;
    }

    public TwilioApiException()
        : this(0, null, "Twilio request failed.", null, null)
    {
    }

    public TwilioApiException(string message)
        : this(0, null, message, null, null)
    {
    }

    public TwilioApiException(string message, Exception innerException)
        : base(0, message, innerException)
    {
    }

    public int? Code { get; }

    public Uri? MoreInfo { get; }

    /// <summary>The Retry-After Twilio sent with a 429, if any.</summary>
    public TimeSpan? RetryAfter { get; }
}
