using Aftercare.Core.Alerts;
using Aftercare.Core.Conversation;
using Aftercare.Core.Replies;
using Aftercare.Core.Treatments;
using Aftercare.Functions.Contracts;
using NodaTime.Text;

namespace Aftercare.Functions.Treatments;

internal static class TimelineMapper
{
    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public static TimelineResponse ToResponse(this TreatmentRecord record, IReadOnlyList<ReplyWithAlert> replies) =>
        ToResponse(record.Treatment.Value, record.Messages.Select(m => m.Value), replies);

    /// <summary>A registration's timeline: a treatment registered now has no replies yet, and one registered again shows none here.</summary>
    public static TimelineResponse ToResponse(this RegistrationResult result) => ToResponse(result.Treatment, result.Messages, []);

    private static TimelineResponse ToResponse(Treatment treatment, IEnumerable<OutboundMessage> messages, IReadOnlyList<ReplyWithAlert> replies)
    {
        return new TimelineResponse(
            treatment.TreatmentId,
            treatment.ExternalId,
            treatment.Status switch
            {
                TreatmentStatus.Active => "active",
                TreatmentStatus.Cancelled => "cancelled",
                _ => "opted-out",
            },
            treatment.StatusReason,
            treatment.PlanId,
            treatment.Client.TimeZoneId,
            treatment.Client.Locale,
            [.. messages.OrderBy(m => m.Sequence).Select(ToMessage)],
            treatment.ErasedAt?.ToDateTimeOffset(),
            treatment.ErasureReason,
            [.. replies.Select(ToReply)]);
    }

    private static TimelineReply ToReply(ReplyWithAlert listed)
    {
        var reply = listed.Reply;
        return new TimelineReply(
            reply.ReceivedAt.ToDateTimeOffset(),
            reply.Text.Length > 0 ? reply.Text : null,
            reply.Kind.ToWire(),
            reply.Triage?.Kind.ToWire(),
            reply.Triage?.MatchedRules,
            ToAlert(reply.Alert, listed.OutboxAlert));
    }

    private static TimelineAlert? ToAlert(AlertRouting? routing, OutboxAlert? stored) => routing switch
    {
        AlertRouting.TimelineOnly => new TimelineAlert(null, "timeline-only", 0, null, null),
        AlertRouting.Outbox when stored is not null => new TimelineAlert(
            stored.Alert.Id,
            stored.Status.ToString().ToLowerInvariant(),
            stored.Attempts,
            stored.DeliveredAt?.ToDateTimeOffset(),
            stored.LastError),
        _ => null,
    };

    private static TimelineMessage ToMessage(OutboundMessage message) => new(
        message.StageId,
        message.Sequence,
        message.DueAt.ToDateTimeOffset(),
        LocalPattern.Format(message.DueLocal),
        message.Status.ToWire(),
        message.StatusReason,
        message.Body.Length > 0 ? message.Body : null,
        message.ProviderMessageId,
        message.ErrorCode,
        message.SentAt?.ToDateTimeOffset(),
        message.Segments,
        message.Encoding.ToString().ToLowerInvariant());
}
