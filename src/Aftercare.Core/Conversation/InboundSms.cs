namespace Aftercare.Core.Conversation;

/// <summary>
/// An SMS a client sent to one of the clinics' senders, as Twilio's incoming-message webhook describes it (Twilio,
/// "Messaging webhooks": <c>MessageSid</c>, <c>From</c>, <c>To</c>, <c>MessagingServiceSid</c>, <c>Body</c>,
/// <c>OptOutType</c>).
/// </summary>
/// <param name="MessageSid">Twilio's id of the incoming message ("SM…" or "MM…"); the same on every retry of the webhook.</param>
/// <param name="To">The number the client texted (E.164), one of the clinics' senders.</param>
/// <param name="MessagingServiceSid">The Messaging Service ("MG…") that received it, when the number belongs to one.</param>
/// <param name="From">The client's number, canonical E.164 (<see cref="Phones.CanonicalPhone"/>).</param>
/// <param name="Body">The text as sent, possibly empty (a picture alone).</param>
/// <param name="OptOutType">Twilio's keyword verdict (STOP, START, HELP) when Advanced Opt-Out matched one; else null.</param>
public sealed record InboundSms(string MessageSid, string To, string? MessagingServiceSid, string From, string Body, string? OptOutType)
{
    /// <summary>Never the number or the text: records print every member, and this one may end up in a log.</summary>
    public override string ToString() => $"InboundSms {{ MessageSid = {MessageSid} }}";
}
