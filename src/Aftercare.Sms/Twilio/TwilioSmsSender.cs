using System.Net;
using Aftercare.Core.Messaging;
using Aftercare.Core.Privacy;
using Microsoft.Extensions.Logging;
using NodaTime;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Sends texts through Twilio and says what is known afterwards: accepted, refused for now, refused for good, or in
/// doubt. Logs carry the masked number and Twilio's SID, never the text.
/// </summary>
public sealed class TwilioSmsSender : ISmsSender
{
    private const int Unsubscribed = 21610;
    private const int InvalidToNumber = 21211;
    private const int NotMobile = 21614;
    private const int FindPageSize = 100;

    private readonly TwilioMessagesClient _client;
    private readonly ILogger<TwilioSmsSender> _logger;

    public TwilioSmsSender(TwilioMessagesClient client, ILogger<TwilioSmsSender> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _logger = logger;
    }

    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var to = PhoneMask.Mask(request.To);
        var message = new CreateMessageOptions(request.To, request.Body)
        {
            From = request.FromPhone,
            MessagingServiceSid = request.MessagingServiceSid,
            StatusCallback = request.StatusCallback,
        };

        try
        {
            var created = (await _client.CreateAsync(message, cancellationToken)).Value;
            _logger.LogInformation("Twilio accepted {MessageSid} to {To} with status {Status}", created.Sid, to, created.Status);
            return SmsSendResult.Accepted(created.Sid, created.Status);
        }
        catch (TwilioApiException exception)
        {
            var result = Classify(exception);
            _logger.LogWarning(
                "Twilio answered {HttpStatus} code {TwilioCode} for a text to {To}: {Outcome}",
                exception.Status, exception.Code, to, result.Outcome);
            return result;
        }
        catch (BrokenCircuitException exception)
        {
            _logger.LogWarning("Twilio circuit is open; a text to {To} was not sent", to);
            return SmsSendResult.RetryLaterAfter(exception.RetryAfter, null, "Twilio is failing; calls are paused (circuit open).");
        }
        catch (HttpRequestException exception) when (TwilioOutcomes.IsConnectionRefused(exception))
        {
            _logger.LogWarning("Twilio refused the connection for a text to {To}", to);
            return SmsSendResult.RetryLaterAfter(null, null, "Twilio refused the connection; nothing was sent.");
        }
        catch (TimeoutRejectedException)
        {
            _logger.LogWarning("Twilio did not answer within {Timeout} for a text to {To}; outcome unknown", _client.Options.RequestTimeout, to);
            return SmsSendResult.InDoubt($"Twilio did not answer within {_client.Options.RequestTimeout}; the text may have been created.");
        }
        catch (HttpRequestException exception)
        {
            _logger.LogWarning("Connection to Twilio failed ({Error}) for a text to {To}; outcome unknown", exception.HttpRequestError, to);
            return SmsSendResult.InDoubt($"The connection to Twilio failed after the request left ({exception.HttpRequestError}); the text may have been created.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, shorter than ours: the request had left.
            _logger.LogWarning("HttpClient timed out for a text to {To}; outcome unknown", to);
            return SmsSendResult.InDoubt("The HTTP client timed out; the text may have been created.");
        }
    }

    public async Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);

        // No DateSent filter: a text still queued at Twilio has no date_sent yet, and it is exactly the one an in-doubt
        // check must not miss. One recipient's texts fit in a page or two; date_created (stamped to the second) is
        // compared here instead.
        var sinceUtc = since.ToDateTimeOffset();
        var fromSecond = sinceUtc.AddTicks(-(sinceUtc.Ticks % TimeSpan.TicksPerSecond));
        var found = new List<SentSms>();
        await foreach (var message in _client.ListAsync(recipient, dateSentOnOrAfter: null, FindPageSize, cancellationToken))
        {
            if (message.DateCreated is { } created && created >= fromSecond)
            {
                found.Add(new SentSms(message.Sid, message.To ?? recipient, message.Body ?? string.Empty, message.Status ?? "unknown", Instant.FromDateTimeOffset(created)));
            }
        }

        _logger.LogInformation("Twilio holds {Count} texts to {To} since {Since}", found.Count, PhoneMask.Mask(recipient), since);
        return found;
    }

    private static SmsSendResult Classify(TwilioApiException exception)
    {
        var code = exception.Code?.ToString() ?? exception.Status.ToString();
        return exception.Status switch
        {
            (int)HttpStatusCode.TooManyRequests =>
                SmsSendResult.RetryLaterAfter(exception.RetryAfter, code, "Twilio is rate limiting; nothing was created."),
            _ when exception.Code == Unsubscribed =>
                SmsSendResult.Rejected(SmsRejection.Unsubscribed, code, "The recipient has unsubscribed (replied STOP)."),
            _ when exception.Code is InvalidToNumber or NotMobile =>
                SmsSendResult.Rejected(SmsRejection.InvalidNumber, code, "The number is invalid or cannot receive texts."),

            // Bad credentials are our configuration, not the text's fault: the texts wait rather than fail for good.
            (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden =>
                SmsSendResult.RetryLaterAfter(null, code, "Twilio rejected our credentials; nothing was created."),
            >= 400 and < 500 =>
                SmsSendResult.Rejected(SmsRejection.Other, code, $"Twilio refused the text (HTTP {exception.Status}, code {code})."),
            _ => SmsSendResult.InDoubt($"Twilio answered HTTP {exception.Status}; the text may have been created."),
        };
    }
}
