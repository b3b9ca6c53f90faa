using Aftercare.Core.Messaging;
using NodaTime;

namespace Aftercare.Core.Treatments;

/// <summary>One staged aftercare text of a treatment, and everything known about its delivery.</summary>
public sealed record OutboundMessage
{
    public required string StageId { get; init; }

    /// <summary>The stage's place in its plan, so a timeline reads in order.</summary>
    public required int Sequence { get; init; }

    /// <summary>The earliest moment it may go: the stage's time, moved out of quiet hours.</summary>
    public required Instant DueAt { get; init; }

    /// <summary><see cref="DueAt"/> on the client's wall clock, as scheduled.</summary>
    public required LocalDateTime DueLocal { get; init; }

    /// <summary>After this the advice is stale: the message is skipped rather than sent late.</summary>
    public required Instant ExpiresAt { get; init; }

    /// <summary>
    /// The text: as rendered at registration while the message is scheduled, and from its claim on the text actually
    /// handed to the provider (<see cref="OutgoingText.Compose"/>), which is what an in-doubt send is looked for by.
    /// </summary>
    public required string Body { get; init; }

    /// <summary>The locale the text is written in (the template's, e.g. "es"); null for messages stored before it was kept.</summary>
    public string? Locale { get; init; }

    public required SmsEncoding Encoding { get; init; }

    public required int Segments { get; init; }

    /// <summary>Rebooking prompts are cancelled when the client is registered again at the clinic.</summary>
    public bool CancelOnRebook { get; init; }

    public required MessageStatus Status { get; init; }

    public string? StatusReason { get; init; }

    /// <summary>The provider's id for the sent text (a Twilio Message SID).</summary>
    public string? ProviderMessageId { get; init; }

    public string? ErrorCode { get; init; }

    /// <summary>
    /// When the current claim was taken (the claim itself is the ETag-conditional write that set Sending): an in-doubt
    /// send is looked for at the provider from here on.
    /// </summary>
    public Instant? ClaimedAt { get; init; }

    public Instant? LeaseUntil { get; init; }

    public int Attempts { get; init; }

    public Instant? SentAt { get; init; }

    public Instant? UpdatedAt { get; init; }
}
