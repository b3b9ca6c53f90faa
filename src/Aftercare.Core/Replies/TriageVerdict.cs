namespace Aftercare.Core.Replies;

/// <summary>
/// The triage of one reply and why. <see cref="Kind"/> is <see cref="TriageKind.Urgent"/> when any urgent rule matched,
/// else <see cref="TriageKind.Question"/> when any question rule matched, else <see cref="TriageKind.Other"/>.
/// </summary>
/// <param name="Kind">The verdict.</param>
/// <param name="Emergency">
/// An urgent rule marked <c>emergency</c> matched (trouble breathing, throat closing): the answer tells the client to call
/// emergency services rather than the clinic. Never true unless <see cref="Kind"/> is urgent.
/// </param>
/// <param name="Locale">The locale whose rules were used (e.g. "es" for a client whose locale is "es-MX").</param>
/// <param name="MatchedRules">The ids of every rule that matched, urgent and question alike, in rule-file order.</param>
/// <param name="NegatedRules">
/// The ids of rules whose words appeared only negated ("no pus", "sin fiebre") and so did not count; kept so a clinic
/// can see why a worried-sounding reply was not urgent.
/// </param>
public sealed record TriageVerdict(
    TriageKind Kind,
    bool Emergency,
    string Locale,
    IReadOnlyList<string> MatchedRules,
    IReadOnlyList<string> NegatedRules);
