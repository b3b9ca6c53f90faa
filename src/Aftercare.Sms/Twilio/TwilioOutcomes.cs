using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Timeout;

namespace Aftercare.Sms.Twilio;

/// <summary>What an HTTP outcome proves about whether Twilio did anything.</summary>
internal static class TwilioOutcomes
{
    /// <summary>
    /// True only when nothing can have been created: a 429 (Twilio refuses before creating), or a connection refused
    /// (the request never left). A timeout, a reset, or a 5xx may have created a message, so they are never retried.
    /// </summary>
    public static bool ProvesNothingCreated(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests || IsConnectionRefused(outcome.Exception);

    /// <summary>For reads, which are safe to repeat: also 5xx, timeouts and broken connections.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500
            : outcome.Exception is HttpRequestException or TimeoutRejectedException;

    /// <summary>Outcomes that count against Twilio's health for the circuit breaker.</summary>
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome) => IsTransient(outcome);

    public static bool IsConnectionRefused(Exception? exception) =>
        exception is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };

    /// <summary>Retry-After as delta-seconds or an HTTP date, relative to <paramref name="now"/>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        var after = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return after is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : after;
    }
}
