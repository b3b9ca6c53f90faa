using Aftercare.Core.Alerts;
using Aftercare.Core.Conversation;

namespace Aftercare.Functions.Treatments;

/// <summary>A reply on the timeline and, when it was alerted through the outbox, where that alert's delivery stands.</summary>
internal sealed record ReplyWithAlert(ClientReply Reply, OutboxAlert? OutboxAlert);

/// <summary>Reads a treatment's replies with the state of their clinic alerts.</summary>
internal sealed class ReplyTimeline(IReplyStore replies, IAlertOutbox alerts)
{
    /// <summary>The treatment's replies, oldest first: one partition query, and a point read per reply alerted through the outbox.</summary>
    public async Task<IReadOnlyList<ReplyWithAlert>> ListAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var found = await replies.ListAsync(clinicId, treatmentId, cancellationToken);
        var listed = new List<ReplyWithAlert>(found.Count);
        foreach (var reply in found)
        {
            var alert = reply.Alert == AlertRouting.Outbox ? await alerts.FindAsync(AlertIdFor(reply), reply.ReceivedAt, cancellationToken) : null;
            listed.Add(new ReplyWithAlert(reply, alert?.Value));
        }

        return listed;
    }

    private static string AlertIdFor(ClientReply reply) => reply.Kind == ReplyKind.OptOut
        ? ClinicAlertIds.ForOptOut(reply.TreatmentId, reply.MessageSid)
        : ClinicAlertIds.ForReply(reply.MessageSid);
}
