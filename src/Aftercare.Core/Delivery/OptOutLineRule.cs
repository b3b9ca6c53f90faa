using Aftercare.Core.Treatments;

namespace Aftercare.Core.Delivery;

/// <summary>
/// Whether a text about to be sent must carry the opt-out line: unless the number is known to have received a text
/// from the clinic already, it must. Known means the treatment was registered after such a text
/// (<see cref="Treatment.ClientTextedBefore"/>) or another of its messages was accepted by the provider (sent or
/// delivered). When in doubt, the line goes in: a second reminder costs a line; a first text without one breaks the
/// rule. So two texts racing to be a number's first both carry it, and so does the next text after a send in doubt.
/// </summary>
public static class OptOutLineRule
{
    /// <param name="record">The treatment and its messages, as the dispatcher read them before its claim.</param>
    /// <param name="message">The message about to be sent; its own earlier attempts do not count.</param>
    public static bool IsNeeded(TreatmentRecord record, OutboundMessage message)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(message);
        return !record.Treatment.Value.ClientTextedBefore
            && !record.Messages.Any(m => m.Value.StageId != message.StageId && m.Value.Status is MessageStatus.Sent or MessageStatus.Delivered);
    }
}
