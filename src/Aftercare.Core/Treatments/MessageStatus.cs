namespace Aftercare.Core.Treatments;

/// <summary>Where one aftercare text is: scheduled → sending → sent → delivered | undelivered | failed, or one of the ends that never sent.</summary>
public enum MessageStatus
{
    Scheduled,
    Sending,
    Sent,
    Delivered,
    Undelivered,
    Failed,
    Skipped,
    Cancelled,
    Suppressed,

    /// <summary>
    /// Printed by the console sender (no SMS provider configured) instead of sent: final like <see cref="Sent"/>, but
    /// nobody received it, so no status callback ever applies and it does not count as the number's first text.
    /// </summary>
    Simulated,
}

public static class MessageStatusExtensions
{
    /// <summary>True once the dispatcher has nothing more to do for the message.</summary>
    public static bool IsSettled(this MessageStatus status) =>
        status is not (MessageStatus.Scheduled or MessageStatus.Sending);

    /// <summary>True while the message may still be stopped before it goes (cancel, opt-out).</summary>
    public static bool IsPending(this MessageStatus status) => status == MessageStatus.Scheduled;

    public static string ToWire(this MessageStatus status) => status switch
    {
        MessageStatus.Scheduled => "scheduled",
        MessageStatus.Sending => "sending",
        MessageStatus.Sent => "sent",
        MessageStatus.Delivered => "delivered",
        MessageStatus.Undelivered => "undelivered",
        MessageStatus.Failed => "failed",
        MessageStatus.Skipped => "skipped",
        MessageStatus.Cancelled => "cancelled",
        MessageStatus.Suppressed => "suppressed",
        MessageStatus.Simulated => "simulated",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
