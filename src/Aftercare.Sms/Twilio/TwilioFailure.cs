using Polly.CircuitBreaker;
using Polly.Timeout;
using Twilio.Exceptions;

namespace Aftercare.Sms.Twilio;

/// <summary>How a Twilio call failed, read from the SDK's exception and the <see cref="TwilioCall"/> beside it.</summary>
internal enum TwilioFailureKind
{
    /// <summary>Twilio answered with an error (or with something the SDK could not read).</summary>
    Answered,

    /// <summary>Our circuit breaker is open: Twilio was not called.</summary>
    CircuitOpen,

    /// <summary>The connection was refused: the request never left.</summary>
    ConnectionRefused,

    /// <summary>An attempt outlived <see cref="TwilioOptions.RequestTimeout"/>: the request had left.</summary>
    TimedOut,

    /// <summary>Anything else on the way (a reset, a dropped connection): the request may have left.</summary>
    ConnectionFailed,
}

/// <summary>
/// What an SDK exception says about a failed call, keeping only what is safe to log: never the exception's message,
/// which quotes the phone number. <see cref="HttpStatus"/> falls back to the status the handler saw, since the SDK
/// reports 0 when an error body is not Twilio's JSON (a proxy's HTML page, say).
/// </summary>
internal sealed record TwilioFailure(TwilioFailureKind Kind, int? HttpStatus, int? TwilioCode, TimeSpan? RetryAfter, string Cause)
{
    public static TwilioFailure From(TwilioException exception, TwilioCall call)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(call);
        var seen = (int?)call.LastStatus;
        return exception switch
        {
            ApiException api => Answered(api.Status, api.Code, seen, call.RetryAfter, nameof(ApiException)),
            ApiStandardException standard => Answered(standard.Status, standard.Code, seen, call.RetryAfter, nameof(ApiStandardException)),
            { InnerException: BrokenCircuitException broken } =>
                new(TwilioFailureKind.CircuitOpen, null, null, broken.RetryAfter, nameof(BrokenCircuitException)),
            { InnerException: var inner } when TwilioOutcomes.IsConnectionRefused(inner) =>
                new(TwilioFailureKind.ConnectionRefused, null, null, null, "connection refused"),
            { InnerException: TimeoutRejectedException } =>
                new(TwilioFailureKind.TimedOut, null, null, null, nameof(TimeoutRejectedException)),
            { InnerException: HttpRequestException http } =>
                new(TwilioFailureKind.ConnectionFailed, seen, null, null, $"{nameof(HttpRequestException)} ({http.HttpRequestError})"),
            _ => new(TwilioFailureKind.ConnectionFailed, seen, null, null, (exception.InnerException ?? exception).GetType().Name),
        };
    }

    /// <summary>The status, code and cause, for logs and for a <see cref="TwilioRequestException"/>.</summary>
    public override string ToString() =>
        $"{Cause}{(HttpStatus is { } status ? $", HTTP {status}" : string.Empty)}{(TwilioCode is { } code ? $", code {code}" : string.Empty)}";

    /// <summary>An exception that says what failed without the SDK's message.</summary>
    public TwilioRequestException ToException(string what) =>
        new($"{what} failed: {this}.") { HttpStatus = HttpStatus, TwilioCode = TwilioCode };

    private static TwilioFailure Answered(int status, int code, int? seen, TimeSpan? retryAfter, string cause) =>
        new(TwilioFailureKind.Answered, status != 0 ? status : seen, code != 0 ? code : null, retryAfter, cause);
}
