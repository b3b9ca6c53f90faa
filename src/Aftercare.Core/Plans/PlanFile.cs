namespace Aftercare.Core.Plans;

/// <summary>The text of one plan file, and its name for error messages. The host reads the files; Core only parses.</summary>
public sealed record PlanFile(string FileName, string Json);
