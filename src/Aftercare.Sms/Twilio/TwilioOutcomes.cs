using System.Net;
using System.Net.Sockets;
using Polly;
using Polly.Timeout;

namespace Aftercare.Sms.Twilio;

/// <summary>What one HTTP attempt's outcome proves about whether Twilio did anything.</summary>
internal static class TwilioOutcomes
{
    /// <summary>
    /// True only when nothing can have been created: a 429 (Twilio refuses before creating; its "429 Too Many Requests"
    /// error 20429), or a connection refused (the request never left). A timeout, a reset, or a 5xx may have created a
    /// message, so a create is never retried on them.
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

    /// <summary>The connection was refused: the request never left this machine.</summary>
    public static bool IsConnectionRefused(Exception? exception) =>
        exception is HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } };

    /// <summary>Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), relative to <paramref name="now"/>; never negative.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, DateTimeOffset now)
    {
        var header = response?.Headers.RetryAfter;
        var after = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return after is { } value && value < TimeSpan.Zero ? TimeSpan.Zero : after;
    }

    /// <summary>A name for an outcome that is safe to log: the status code or the exception's type, never a message.</summary>
    public static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response
            ? "HTTP " + (int)response.StatusCode
            : outcome.Exception switch
            {
                HttpRequestException http => $"{nameof(HttpRequestException)} ({http.HttpRequestError})",
                { } other => other.GetType().Name,
                null => "nothing",
            };
}
