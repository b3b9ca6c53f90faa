using Aftercare.Core.Alerts;
using Aftercare.Core.Replies;
using NodaTime;

namespace Aftercare.Core.Conversation;

/// <summary>
/// A client's reply, stored on the timeline of the client's most recent treatment at the clinic. Its
/// <see cref="Text"/> is personal data: empty once erased (<see cref="Privacy.TreatmentEraser"/>).
/// </summary>
/// <param name="ClinicId">The clinic whose sender received it.</param>
/// <param name="TreatmentId">The client's most recent treatment at that clinic when it arrived.</param>
/// <param name="MessageSid">Twilio's id of the incoming message: one reply per id, however often Twilio posts it.</param>
/// <param name="ReceivedAt">When the webhook first reached us (UTC).</param>
/// <param name="Text">The body as the client wrote it; empty once erased.</param>
/// <param name="Kind">What the keywords made of it.</param>
public sealed record ClientReply(string ClinicId, string TreatmentId, string MessageSid, Instant ReceivedAt, string Text, ReplyKind Kind)
{
    /// <summary>The triage of free text (<see cref="ReplyKind.Text"/>); null for a keyword.</summary>
    public ReplyTriageResult? Triage { get; init; }

    /// <summary>
    /// What became of the clinic's alert about it: null when it raised none (a keyword the clinic does not receive
    /// alerts for, or a reply stored for a clinic other than the one of the client's latest treatment).
    /// </summary>
    public AlertRouting? Alert { get; init; }

    /// <summary>Never the text: records print every member, and this one may end up in a log.</summary>
    public override string ToString() => $"ClientReply {{ ClinicId = {ClinicId}, TreatmentId = {TreatmentId}, MessageSid = {MessageSid}, Kind = {Kind} }}";
}

/// <summary>A stored triage verdict: the kind and the ids of the rules that matched (<see cref="TriageVerdict"/>).</summary>
public sealed record ReplyTriageResult(TriageKind Kind, IReadOnlyList<string> MatchedRules)
{
    public static ReplyTriageResult From(TriageVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new(verdict.Kind, verdict.MatchedRules);
    }
}
