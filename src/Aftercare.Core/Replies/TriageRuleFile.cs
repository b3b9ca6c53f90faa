namespace Aftercare.Core.Replies;

/// <summary>
/// The text of one triage rule file (one per locale, named after it: <c>en.json</c>) and its name for error messages.
/// The host reads the files; Core only parses.
/// </summary>
public sealed record TriageRuleFile(string FileName, string Json);
