namespace Aftercare.Core.Conversation;

/// <summary>What became of an incoming SMS.</summary>
/// <param name="Routed">False when no clinic sends from the sender it reached: nothing was stored or changed.</param>
/// <param name="Kind">What the keywords made of it.</param>
/// <param name="Stored">The replies stored for it now, one per clinic where the client has a treatment (none on a repeat).</param>
/// <param name="Repeated">True when Twilio had posted this message before (its replies were stored already).</param>
/// <param name="SuppressedMessages">Pending texts an opt-out suppressed.</param>
/// <param name="Answer">The text to answer the client with, or null for none.</param>
public sealed record InboundOutcome(bool Routed, ReplyKind Kind, IReadOnlyList<ClientReply> Stored, bool Repeated, int SuppressedMessages, string? Answer)
{
    /// <summary>The triage of free text from a client with a treatment at one of the clinics; null otherwise.</summary>
    public Replies.TriageVerdict? Triage { get; init; }

    public static InboundOutcome Unrouted(ReplyKind kind) => new(false, kind, [], false, 0, null);
}
