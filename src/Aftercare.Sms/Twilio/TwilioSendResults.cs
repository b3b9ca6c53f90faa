using System.Net;
using Aftercare.Core.Messaging;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// A failed create, as the dispatcher must act on it (DESIGN.md, "Delivery semantics"): retry later only when nothing
/// can have been created, rejected for good on the recipient's errors, in doubt whenever the request may have left.
/// Codes are Twilio's (its "Error and Warning Dictionary").
/// </summary>
internal static class TwilioSendResults
{
    private const int RateLimited = 20429;
    private const int Unsubscribed = 21610;
    private const int InvalidToNumber = 21211;
    private const int NotMobile = 21614;

    public static SmsSendResult From(TwilioFailure failure, TimeSpan requestTimeout) => failure.Kind switch
    {
        TwilioFailureKind.CircuitOpen =>
            SmsSendResult.RetryLaterAfter(failure.RetryAfter, null, "Twilio is failing; calls are paused (circuit open)."),
        TwilioFailureKind.ConnectionRefused =>
            SmsSendResult.RetryLaterAfter(null, null, "Twilio refused the connection; nothing was sent."),
        TwilioFailureKind.TimedOut =>
            SmsSendResult.InDoubt($"Twilio did not answer within {requestTimeout}; the text may have been created."),
        TwilioFailureKind.ConnectionFailed =>
            SmsSendResult.InDoubt($"The connection to Twilio failed after the request left ({failure.Cause}); the text may have been created."),
        _ => FromAnswer(failure),
    };

    private static SmsSendResult FromAnswer(TwilioFailure failure)
    {
        var status = failure.HttpStatus;
        var code = (failure.TwilioCode ?? status)?.ToString();
        return (status, failure.TwilioCode) switch
        {
            ((int)HttpStatusCode.TooManyRequests, _) or (_, RateLimited) =>
                SmsSendResult.RetryLaterAfter(failure.RetryAfter, code, "Twilio is rate limiting; nothing was created."),
            (_, Unsubscribed) =>
                SmsSendResult.Rejected(SmsRejection.Unsubscribed, code, "The recipient has unsubscribed (replied STOP)."),
            (_, InvalidToNumber or NotMobile) =>
                SmsSendResult.Rejected(SmsRejection.InvalidNumber, code, "The number is invalid or cannot receive texts."),

            // Bad credentials are our configuration, not the text's fault: the texts wait rather than fail for good.
            ((int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden, _) =>
                SmsSendResult.RetryLaterAfter(null, code, "Twilio rejected our credentials; nothing was created."),
            ( >= 400 and < 500, _) =>
                SmsSendResult.Rejected(SmsRejection.Other, code, $"Twilio refused the text (HTTP {status}, code {code})."),
            (null, _) => SmsSendResult.InDoubt("Twilio's answer could not be read; the text may have been created."),
            _ => SmsSendResult.InDoubt($"Twilio answered HTTP {status}; the text may have been created."),
        };
    }
}
