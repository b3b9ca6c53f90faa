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
public sealed record SmsRequest(string To, string? FromPhone, string? MessagingServiceSid, string Body, Uri? StatusCallback)
{
    /// <summary>The clinic the text is sent for, when known: safe to log, unlike the number and the text.</summary>
    public string? ClinicId { get; init; }

    /// <summary>The plan stage the text is, when known: safe to log.</summary>
    public string? StageId { get; init; }
}

/// <summary>A text the provider holds; <see cref="Status"/> is the provider's (<see cref="SmsSendResult.SimulatedStatus"/> for one only printed).</summary>
public sealed record SentSms(string MessageId, string To, string Body, string Status, Instant CreatedAt)
{
    /// <summary>True for a text the console sender printed instead of sending.</summary>
    public bool IsSimulated => Status == SmsSendResult.SimulatedStatus;
}

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
    /// <summary>The <see cref="ProviderStatus"/> of a text printed instead of sent (no provider configured).</summary>
    public const string SimulatedStatus = "simulated";

    public required SmsOutcome Outcome { get; init; }

    public string? MessageId { get; init; }

    public string? ProviderStatus { get; init; }

    public SmsRejection Rejection { get; init; }

    public string? ErrorCode { get; init; }

    /// <summary>Words for the clinic and operators; never the number or the text.</summary>
    public string? Detail { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when no provider took the text: it was only printed (<see cref="Simulated"/>).</summary>
    public bool IsSimulated => Outcome == SmsOutcome.Accepted && ProviderStatus == SimulatedStatus;

    public static SmsSendResult Accepted(string messageId, string? providerStatus) =>
        new() { Outcome = SmsOutcome.Accepted, MessageId = messageId, ProviderStatus = providerStatus };

    /// <summary>Accepted by a sender that only prints texts: the message is recorded as <c>simulated</c>, never <c>sent</c>.</summary>
    public static SmsSendResult Simulated(string messageId) => Accepted(messageId, SimulatedStatus);

    public static SmsSendResult InDoubt(string detail) => new() { Outcome = SmsOutcome.InDoubt, Detail = detail };

    public static SmsSendResult RetryLaterAfter(TimeSpan? after, string? errorCode, string detail) =>
        new() { Outcome = SmsOutcome.RetryLater, RetryAfter = after, ErrorCode = errorCode, Detail = detail };

    public static SmsSendResult Rejected(SmsRejection rejection, string? errorCode, string detail) =>
        new() { Outcome = SmsOutcome.Rejected, Rejection = rejection, ErrorCode = errorCode, Detail = detail };
}
