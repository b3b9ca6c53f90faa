using Aftercare.Core.Replies;
using Xunit;
using Xunit.Abstractions;

namespace Aftercare.Core.Tests.Replies;

/// <summary>
/// The shipped rules against the labelled corpus of client replies (English and Spanish, written as clients write).
/// "train" is what the rules were written and tuned against; "heldout" was written first and never used for tuning.
/// </summary>
public sealed class TriageCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void The_corpus_holds_at_least_300_replies_in_both_locales_with_a_fifth_held_out()
    {
        var train = TriageTestData.Corpus("train");
        var heldOut = TriageTestData.Corpus("heldout");
        var all = train.Concat(heldOut).ToList();

        Assert.True(all.Count >= 300, $"{all.Count} replies");
        Assert.True(heldOut.Count >= all.Count / 5, $"{heldOut.Count} of {all.Count} held out");
        foreach (var locale in new[] { "en", "es" })
        {
            foreach (var kind in Enum.GetValues<TriageKind>())
            {
                Assert.Contains(all, r => r.Locale == locale && r.Label == kind);
            }
        }

        Assert.Equal(all.Count, all.Select(r => (r.Locale, r.Text)).Distinct().Count());
    }

    [Fact]
    public void Urgent_recall_is_at_least_097_and_precision_at_least_085_over_the_whole_corpus()
    {
        var matrix = Evaluate(TriageTestData.Corpus("train").Concat(TriageTestData.Corpus("heldout")), "all");

        Assert.True(matrix.Recall(TriageKind.Urgent) >= 0.97, $"urgent recall {matrix.Recall(TriageKind.Urgent):0.000}");
        Assert.True(matrix.Precision(TriageKind.Urgent) >= 0.85, $"urgent precision {matrix.Precision(TriageKind.Urgent):0.000}");
    }

    [Fact]
    public void Training_replies_are_reported_on_their_own()
    {
        var matrix = Evaluate(TriageTestData.Corpus("train"), "train");

        Assert.True(matrix.Recall(TriageKind.Urgent) >= 0.97, $"train urgent recall {matrix.Recall(TriageKind.Urgent):0.000}");
    }

    [Fact]
    public void Held_out_replies_are_reported_on_their_own()
    {
        var matrix = Evaluate(TriageTestData.Corpus("heldout"), "held-out");

        // The bar is asserted on the whole corpus; the held-out figures are printed (and stated in the report) so a
        // rule tuned to the training replies alone shows up here first. A floor still catches a broken engine.
        Assert.True(matrix.Recall(TriageKind.Urgent) >= 0.9, $"held-out urgent recall {matrix.Recall(TriageKind.Urgent):0.000}");
    }

    private ConfusionMatrix Evaluate(IEnumerable<LabelledReply> replies, string name)
    {
        var matrix = new ConfusionMatrix();
        var misses = new List<string>();
        foreach (var reply in replies)
        {
            var verdict = TriageTestData.Shipped.Classify(reply.Text, reply.Locale);
            matrix.Add(reply.Label, verdict.Kind);
            if (verdict.Kind != reply.Label)
            {
                misses.Add($"  {reply.Label,-8} → {verdict.Kind,-8} [{string.Join(",", verdict.MatchedRules)}] ({reply.Locale}) {reply.Text}");
            }
        }

        output.WriteLine($"Triage confusion matrix, {name}:");
        output.WriteLine(matrix.ToString());
        output.WriteLine($"Misclassified ({misses.Count}):");
        misses.ForEach(output.WriteLine);
        return matrix;
    }
}
