using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// What a provider's delivery status callback does to a message. Callbacks arrive late, twice and out of order, so a
/// message only ever moves forward: sending → sent → delivered | undelivered | failed, and a final status is final. A
/// <see cref="MessageStatus.Simulated"/> text (printed by the console sender, received by nobody) is final from the start.
/// </summary>
public static class DeliveryReceipts
{
    /// <summary>Our status for a Twilio MessageStatus, or null for one that adds nothing (queued, accepted, scheduled …).</summary>
    public static MessageStatus? FromProvider(string? providerStatus) => providerStatus switch
    {
        "sending" or "sent" => MessageStatus.Sent,
        "delivered" or "read" => MessageStatus.Delivered,
        "undelivered" => MessageStatus.Undelivered,
        "failed" => MessageStatus.Failed,
        _ => null,
    };

    /// <summary>
    /// The message after the receipt, or null when the receipt changes nothing: it would move the message backwards,
    /// the message is already final, or the receipt is for a different text than the one on record.
    /// </summary>
    public static OutboundMessage? Apply(OutboundMessage message, string providerMessageId, MessageStatus reported, string? errorCode, Instant now)
    {
        if (message.ProviderMessageId is { } known && known != providerMessageId)
        {
            return null;
        }

        // Only a message on its way can move; a final status is final, and a repeated "sent" adds nothing.
        if (message.Status is not (MessageStatus.Sending or MessageStatus.Sent) || reported == message.Status)
        {
            return null;
        }

        return message with
        {
            Status = reported,
            ProviderMessageId = providerMessageId,
            SentAt = message.SentAt ?? now,
            ErrorCode = reported is MessageStatus.Undelivered or MessageStatus.Failed ? errorCode : message.ErrorCode,
            StatusReason = reported switch
            {
                MessageStatus.Undelivered => $"The carrier could not deliver the text (Twilio error {errorCode ?? "unknown"}).",
                MessageStatus.Failed => $"Twilio could not send the text (error {errorCode ?? "unknown"}).",
                _ => null,
            },
            LeaseUntil = null,
            UpdatedAt = now,
        };
    }
}
