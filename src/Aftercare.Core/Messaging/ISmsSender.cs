using NodaTime;

namespace Aftercare.Core.Messaging;

/// <summary>Sends texts through a provider (Twilio), or prints them when none is configured.</summary>
public interface ISmsSender
{
    Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Texts the provider holds to <paramref name="recipient"/> created at or after <paramref name="since"/>, so a send whose
    /// outcome is unknown can be checked before it is ever repeated.
    /// </summary>
    Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken);
}

/// <summary>From is a phone number or a messaging service id; exactly one is set.</summary>
public sealed record SmsRequest(string To, string? FromPhone, string? MessagingServiceSid, string Body, Uri? StatusCallback);

public sealed record SentSms(string MessageId, string To, string Body, string Status, Instant CreatedAt);

public enum SmsOutcome
{
    /// <summary>The provider accepted the text and gave it an id.</summary>
    Accepted,

    /// <summary>The provider refused it and proved it created nothing; it may be tried again after <see cref="SmsSendResult.RetryAfter"/>.</summary>
    RetryLater,

    /// <summary>The provider refused it for good (bad number, unsubscribed, bad request).</summary>
    Rejected,

    /// <summary>Nobody knows whether a text was created (timeout, reset, 5xx): check before any re-send.</summary>
    InDoubt,
}

public enum SmsRejection
{
    None,
    Unsubscribed,
    InvalidNumber,
    Other,
}

public sealed record SmsSendResult
{
    public required SmsOutcome Outcome { get; init; }

    public string? MessageId { get; init; }

    public string? ProviderStatus { get; init; }

    public SmsRejection Rejection { get; init; }

    public string? ErrorCode { get; init; }

    /// <summary>Words for the clinic and operators; never the number or the text.</summary>
    public string? Detail { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static SmsSendResult Accepted(string messageId, string? providerStatus) =>
        new() { Outcome = SmsOutcome.Accepted, MessageId = messageId, ProviderStatus = providerStatus };

    public static SmsSendResult InDoubt(string detail) => new() { Outcome = SmsOutcome.InDoubt, Detail = detail };

    public static SmsSendResult RetryLaterAfter(TimeSpan? after, string? errorCode, string detail) =>
        new() { Outcome = SmsOutcome.RetryLater, RetryAfter = after, ErrorCode = errorCode, Detail = detail };

    public static SmsSendResult Rejected(SmsRejection rejection, string? errorCode, string detail) =>
        new() { Outcome = SmsOutcome.Rejected, Rejection = rejection, ErrorCode = errorCode, Detail = detail };
}
