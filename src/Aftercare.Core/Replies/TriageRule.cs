namespace Aftercare.Core.Replies;

/// <summary>
/// One rule of a locale's file. It matches when, within one sentence, every group has a term that matches and is not
/// negated (a rule written with <c>any</c> has one group; with <c>all</c>, several: "swollen" and "lips").
/// </summary>
internal sealed record TriageRule(
    string Id, TriageKind Kind, bool Emergency, bool Negatable, IReadOnlyList<IReadOnlyList<TriageTerm>> Groups);
