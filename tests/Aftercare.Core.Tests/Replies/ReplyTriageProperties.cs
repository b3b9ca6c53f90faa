using Aftercare.Core.Replies;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Aftercare.Core.Tests.Replies;

/// <summary>
/// Whatever a client sends, triage answers (a reply can never make the inbound webhook fail), and what a client writes
/// in another sentence, before or after, never hides an urgent reply: a negation reaches only within its clause.
/// </summary>
public class ReplyTriageProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1000).WithReplay(new Replay(new Rnd(20261130UL), null));

    // The urgent replies the rules find on their own (the corpus test counts the ones they miss).
    private static readonly LabelledReply[] UrgentReplies = TriageTestData.Corpus("train")
        .Where(r => r.Label == TriageKind.Urgent && TriageTestData.Shipped.Classify(r.Text, r.Locale).Kind == TriageKind.Urgent)
        .ToArray();

    private static readonly string[] Locales = ["en", "es", "es-MX", "fr", ""];

    [Fact]
    public void Any_text_gets_a_consistent_verdict()
    {
        Check.One(Runs, Prop.ForAll(ArbMap.Default.ArbFor<string>(), Gen.Elements(Locales).ToArbitrary(), (text, locale) =>
        {
            var verdict = TriageTestData.Shipped.Classify(text ?? string.Empty, locale);

            Assert.True(!verdict.Emergency || verdict.Kind == TriageKind.Urgent);
            Assert.Equal(verdict.Kind == TriageKind.Other, verdict.MatchedRules.Count == 0);
            Assert.Empty(verdict.MatchedRules.Intersect(verdict.NegatedRules));
        }));
    }

    [Fact]
    public void Another_sentence_before_or_after_never_hides_an_urgent_reply()
    {
        var urgent = Gen.Elements(UrgentReplies).ToArbitrary();
        Check.One(Runs, Prop.ForAll(urgent, ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<bool>(), (reply, other, before) =>
        {
            var text = before ? $"{other}. {reply.Text}" : $"{reply.Text}. {other}";

            Assert.True(
                TriageTestData.Shipped.Classify(text, reply.Locale).Kind == TriageKind.Urgent,
                $"not urgent: {text}");
        }));
    }
}
