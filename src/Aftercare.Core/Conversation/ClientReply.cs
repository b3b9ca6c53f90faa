using NodaTime;

namespace Aftercare.Core.Conversation;

/// <summary>
/// A client's reply, stored on the timeline of the client's most recent treatment at the clinic. Its
/// <see cref="Text"/> is personal data: empty once erased (<see cref="Privacy.TreatmentEraser"/>).
/// </summary>
/// <param name="ClinicId">The clinic whose sender received it.</param>
/// <param name="TreatmentId">The client's most recent treatment at that clinic when it arrived.</param>
/// <param name="MessageSid">Twilio's id of the incoming message: one reply per id, however often Twilio posts it.</param>
/// <param name="ReceivedAt">When the webhook reached us (UTC).</param>
/// <param name="Text">The body as the client wrote it; empty once erased.</param>
/// <param name="Kind">What the keywords made of it.</param>
public sealed record ClientReply(string ClinicId, string TreatmentId, string MessageSid, Instant ReceivedAt, string Text, ReplyKind Kind)
{
    /// <summary>Never the text: records print every member, and this one may end up in a log.</summary>
    public override string ToString() => $"ClientReply {{ ClinicId = {ClinicId}, TreatmentId = {TreatmentId}, MessageSid = {MessageSid}, Kind = {Kind} }}";
}
