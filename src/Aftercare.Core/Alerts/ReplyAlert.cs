using Aftercare.Core.Conversation;
using Aftercare.Core.Replies;
using Aftercare.Core.Treatments;

namespace Aftercare.Core.Alerts;

/// <summary>The <c>client-reply-urgent</c> or <c>client-reply</c> alert for a triaged free-text reply (issue 14, item 5).</summary>
public static class ReplyAlert
{
    /// <summary>
    /// The alert for <paramref name="reply"/> on <paramref name="treatment"/>: urgent when its triage is, with the text,
    /// receipt time, triage and matched rules. Its id is <see cref="ClinicAlertIds.ForReply"/> and its creation time the
    /// reply's receipt, so Twilio posting the message again meets the alert stored the first time.
    /// </summary>
    /// <exception cref="ArgumentException">The reply has no triage (a keyword).</exception>
    public static ClinicAlert For(Treatment treatment, ClientReply reply)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(reply);
        var triage = reply.Triage ?? throw new ArgumentException("Only a triaged reply raises a reply alert.", nameof(reply));
        var type = triage.Kind == TriageKind.Urgent ? ClinicAlertType.ClientReplyUrgent : ClinicAlertType.ClientReply;
        return ClinicAlert.About(treatment, ClinicAlertIds.ForReply(reply.MessageSid), type, reply.ReceivedAt) with
        {
            Reply = new AlertReply(reply.Text, reply.ReceivedAt, triage.Kind.ToWire(), triage.MatchedRules),
        };
    }
}
