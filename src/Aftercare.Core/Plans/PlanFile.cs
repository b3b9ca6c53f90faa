namespace Aftercare.Core.Plans;

/// <summary>The text of one plan file, and its name for error messages.</summary>
public sealed record PlanFile(string FileName, string Json)
{
    /// <summary>Reads every <c>*.json</c> in <paramref name="directory"/> (the host's <c>AppContext.BaseDirectory/plans</c>).</summary>
    public static IReadOnlyList<PlanFile> ReadDirectory(string directory) =>
        Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new PlanFile(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();
}
