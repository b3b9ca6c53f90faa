namespace Aftercare.Core.Alerts;

/// <summary>What an alert tells the clinic about (issue 14, item 5). On the wire as <see cref="ClinicAlertTypes.ToWire"/>.</summary>
public enum ClinicAlertType
{
    /// <summary><c>client-reply-urgent</c>: a reply triaged as a possible bad reaction. Alerts by default.</summary>
    ClientReplyUrgent,

    /// <summary><c>client-reply</c>: any other reply, when the clinic asks for them.</summary>
    ClientReply,

    /// <summary><c>client-opted-out</c>: the client replied STOP (or a carrier reported it), when the clinic asks for them.</summary>
    ClientOptedOut,

    /// <summary><c>message-failed</c>: a text could not be delivered. Alerts by default.</summary>
    MessageFailed,
}

/// <summary>The wire names of <see cref="ClinicAlertType"/>.</summary>
public static class ClinicAlertTypes
{
    /// <summary>The kebab-case name sent in the alert's <c>type</c> field.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined type.</exception>
    public static string ToWire(this ClinicAlertType type) => type switch
    {
        ClinicAlertType.ClientReplyUrgent => "client-reply-urgent",
        ClinicAlertType.ClientReply => "client-reply",
        ClinicAlertType.ClientOptedOut => "client-opted-out",
        ClinicAlertType.MessageFailed => "message-failed",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an alert type."),
    };

    /// <summary>
    /// What a clinic receives unless it chooses otherwise: urgent replies and failed texts (issue 14, item 5). A clinic may
    /// add <see cref="ClinicAlertType.ClientReply"/> and <see cref="ClinicAlertType.ClientOptedOut"/>, or drop
    /// <see cref="ClinicAlertType.MessageFailed"/>; never <see cref="ClinicAlertType.ClientReplyUrgent"/>
    /// (<see cref="Required"/>).
    /// </summary>
    public static IReadOnlySet<ClinicAlertType> Default { get; } = new HashSet<ClinicAlertType> { ClinicAlertType.ClientReplyUrgent, ClinicAlertType.MessageFailed };

    /// <summary>
    /// The type every clinic receives: an urgent reply is answered "the clinic has been told", so the clinic must be.
    /// </summary>
    public const ClinicAlertType Required = ClinicAlertType.ClientReplyUrgent;

    /// <summary>Reads a wire name (exact, lowercase); false for anything else.</summary>
    public static bool TryParse(string? wire, out ClinicAlertType type)
    {
        foreach (var candidate in Enum.GetValues<ClinicAlertType>())
        {
            if (string.Equals(candidate.ToWire(), wire, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
