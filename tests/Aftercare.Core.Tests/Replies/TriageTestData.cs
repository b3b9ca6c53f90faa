using Aftercare.Core.Replies;

namespace Aftercare.Core.Tests.Replies;

/// <summary>The shipped triage rules (as copied to the test output) and the labelled corpus of client replies.</summary>
internal static class TriageTestData
{
    private static readonly Lazy<ReplyTriage> LazyShipped = new(() => ReplyTriage.Load(ReadRuleFiles()));

    public static ReplyTriage Shipped => LazyShipped.Value;

    /// <summary>The shipped rule files, as the host reads them.</summary>
    public static IReadOnlyList<TriageRuleFile> ReadRuleFiles() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "triage"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new TriageRuleFile(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();

    public static string ShippedJson(string locale) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "triage", $"{locale}.json"));

    /// <summary>The replies of one corpus file ("train" or "heldout"): label, locale and text per line.</summary>
    public static IReadOnlyList<LabelledReply> Corpus(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Replies", "Corpus", $"{name}.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select((line, i) =>
            {
                var fields = line.Split('\t');
                if (fields.Length != 3)
                {
                    throw new InvalidOperationException($"{name}.tsv, reply {i + 1}: expected label<TAB>locale<TAB>text");
                }

                var label = fields[0] switch
                {
                    "urgent" => TriageKind.Urgent,
                    "question" => TriageKind.Question,
                    "other" => TriageKind.Other,
                    _ => throw new InvalidOperationException($"{name}.tsv, reply {i + 1}: unknown label '{fields[0]}'"),
                };
                return new LabelledReply(label, fields[1], fields[2]);
            })
            .ToList();
}

internal sealed record LabelledReply(TriageKind Label, string Locale, string Text);
