using Aftercare.Core.Replies;

namespace Aftercare.Functions.Hosting;

internal static class TriageRuleFiles
{
    /// <summary>
    /// Loads every triage rule file shipped beside the app (<c>triage/&lt;locale&gt;.json</c>). A bad file throws
    /// <see cref="TriageRuleValidationException"/> naming the file and field, which stops start-up, like a bad plan.
    /// </summary>
    public static ReplyTriage Load(string directory) =>
        ReplyTriage.Load(Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new TriageRuleFile(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList());

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "triage");
}
