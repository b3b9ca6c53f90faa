using Aftercare.Core.Messaging;
using Aftercare.Core.Privacy;
using Microsoft.Extensions.Logging;
using NodaTime;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// Sends texts through the Twilio SDK (<c>MessageResource</c>, an instance client from <see cref="TwilioRestClientFactory"/>)
/// and says what is known afterwards: accepted, refused for now, refused for good, or in doubt. The caller's
/// <see cref="CancellationToken"/> reaches the HTTP handler through a <see cref="TwilioCall"/>, since the SDK takes none.
/// Logs carry the masked number, Twilio's SID, status and error code; never the text, and never an SDK exception's
/// message (it quotes the number).
/// </summary>
public sealed class TwilioSmsSender : ISmsSender
{
    /// <summary>One recipient's texts in the look-back window fit in a page or two of this size (Twilio allows up to 1000).</summary>
    private const int FindPageSize = 100;

    private readonly ITwilioRestClient _client;
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioSmsSender> _logger;

    /// <param name="client">A client from <see cref="TwilioRestClientFactory.Create"/>: its handler gives retries, timeouts, the breaker and cancellation.</param>
    /// <param name="options">The options the client was built with (for the request timeout and the page cap).</param>
    public TwilioSmsSender(ITwilioRestClient client, TwilioOptions options, ILogger<TwilioSmsSender> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Creates the text at Twilio (POST Messages). Retried inside the call only when Twilio proves nothing was created
    /// (429, connection refused); every other failure is classified, never thrown.
    /// </summary>
    /// <remarks>
    /// Cancelled while the create still waited at the <see cref="TwilioSendGate"/> (or when every attempt was answered
    /// 429), it returns <see cref="SmsSendResult.RetryLaterAfter"/>: nothing can have been created.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the call began or while a request was out (the text may have been created).</exception>
    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var to = PhoneMask.Mask(request.To);
        using var call = TwilioCall.Start(cancellationToken);
        try
        {
            var created = await MessageResource.CreateAsync(CreateOptions(request), _client);
            if (string.IsNullOrEmpty(created?.Sid))
            {
                _logger.LogWarning("Twilio answered a text to {To} without a message SID after {Attempts} attempts; outcome unknown", to, call.Attempts);
                return SmsSendResult.InDoubt("Twilio answered without a message SID; the text may have been created.");
            }

            _logger.LogInformation("Twilio accepted {MessageSid} to {To} with status {Status} after {Attempts} attempts", created.Sid, to, created.Status, call.Attempts);
            return SmsSendResult.Accepted(created.Sid, created.Status?.ToString());
        }
        catch (TwilioException) when (cancellationToken.IsCancellationRequested && call.NothingCreated)
        {
            // Cancelled at the send gate (or after 429s only): no request of this call can have created the text.
            _logger.LogInformation("Twilio send to {To} cancelled before any request could create it, after {Attempts} attempts", to, call.Attempts);
            return SmsSendResult.RetryLaterAfter(null, null, "The send was cancelled before Twilio could create the text; nothing was sent.");
        }
        catch (TwilioException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (TwilioException exception)
        {
            var failure = TwilioFailure.From(exception, call);
            var result = TwilioSendResults.From(failure, _options.RequestTimeout);
            _logger.LogWarning(
                "Twilio send to {To} after {Attempts} attempts: {Outcome} ({Failure})", to, call.Attempts, result.Outcome, failure.ToString());
            return result;
        }
    }

    /// <summary>
    /// The texts Twilio holds to <paramref name="recipient"/> created at or after <paramref name="since"/> (from the start
    /// of its second: Twilio stamps <c>date_created</c> to the second). No DateSent filter: a text still queued at Twilio
    /// has no date_sent yet, and it is exactly the one an in-doubt check must not miss.
    /// </summary>
    /// <exception cref="TwilioRequestException">Twilio could not be asked, or listed more than <see cref="TwilioResilienceOptions.MaxListPages"/> pages.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        cancellationToken.ThrowIfCancellationRequested();
        var to = PhoneMask.Mask(recipient);
        var fromSecond = Instant.FromUnixTimeSeconds(since.ToUnixTimeSeconds());
        var found = new List<SentSms>();
        using var call = TwilioCall.Start(cancellationToken);
        try
        {
            var list = new ReadMessageOptions { To = new PhoneNumber(recipient), PageSize = FindPageSize };
            await foreach (var message in TwilioMessagePages.ReadAsync(_client, list, _options.Resilience.MaxListPages, cancellationToken))
            {
                if (message.DateCreated is { } date && CreatedAt(date) is var created && created >= fromSecond)
                {
                    found.Add(new SentSms(message.Sid, message.To ?? recipient, message.Body ?? string.Empty, message.Status?.ToString() ?? "unknown", created));
                }
            }
        }
        catch (Exception exception) when ((exception is TwilioException or Newtonsoft.Json.JsonException) && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (TwilioException exception)
        {
            var failure = TwilioFailure.From(exception, call);
            _logger.LogWarning("Twilio could not list texts to {To} after {Attempts} attempts ({Failure})", to, call.Attempts, failure.ToString());
            throw failure.ToException("Listing texts at Twilio");
        }
        catch (Newtonsoft.Json.JsonException)
        {
            _logger.LogWarning("Twilio's list of texts to {To} could not be read", to);
            throw new TwilioRequestException("Listing texts at Twilio failed: the answer was not a page of Messages.");
        }

        _logger.LogInformation("Twilio holds {Count} texts to {To} since {Since}", found.Count, to, since);
        return found;
    }

    private static CreateMessageOptions CreateOptions(SmsRequest request)
    {
        var options = new CreateMessageOptions(new PhoneNumber(request.To))
        {
            Body = request.Body,
            MessagingServiceSid = request.MessagingServiceSid,
            StatusCallback = request.StatusCallback,
        };
        if (!string.IsNullOrEmpty(request.FromPhone))
        {
            options.From = new PhoneNumber(request.FromPhone);
        }

        return options;
    }

    /// <summary>
    /// The SDK parses Twilio's RFC 2822 <c>date_created</c> ("…05:01:45 +0000") into a <see cref="DateTime"/> of kind
    /// Local, converted to this machine's time zone; back to UTC before it is compared with anything. The local value
    /// keeps .NET's ambiguous-hour flag, so the conversion is exact even in a daylight-saving fall-back hour.
    /// </summary>
    private static Instant CreatedAt(DateTime sdkDate) => Instant.FromDateTimeUtc(sdkDate.ToUniversalTime());
}
