using Aftercare.Core.Replies;
using Xunit;

namespace Aftercare.Core.Tests.Replies;

/// <summary>The shipped rules' behaviour on the cases the issue names: negation, typos, accents, SMS spelling, locales.</summary>
public sealed class ReplyTriageTests
{
    private static ReplyTriage Triage => TriageTestData.Shipped;

    [Theory]
    [InlineData("no pus", "en", "pus")]
    [InlineData("No fever, no pus", "en", "fever")]
    [InlineData("there's no swelling on my lips", "en", "swelling-face")]
    [InlineData("sin fiebre", "es", "fiebre")]
    [InlineData("sin pus ni fiebre", "es", "pus")]
    [InlineData("no tengo ampollas", "es", "ampollas")]
    public void A_negated_warning_sign_is_not_urgent_and_is_named_as_negated(string text, string locale, string negatedRule)
    {
        var verdict = Triage.Classify(text, locale);

        Assert.NotEqual(TriageKind.Urgent, verdict.Kind);
        Assert.Contains(negatedRule, verdict.NegatedRules);
    }

    [Theory]
    [InlineData("no, it's getting worse", "en", "worsening")]
    [InlineData("No pus but the redness is spreading", "en", "redness-spreading")]
    [InlineData("not sure if it's pus", "en", "pus")]
    [InlineData("no, va a peor", "es", "empeora")]
    [InlineData("sin fiebre pero me sale pus", "es", "pus")]
    [InlineData("no sé si es pus", "es", "pus")]
    public void A_negation_in_another_clause_or_a_doubt_does_not_cancel_a_warning_sign(string text, string locale, string rule)
    {
        var verdict = Triage.Classify(text, locale);

        Assert.Equal(TriageKind.Urgent, verdict.Kind);
        Assert.Contains(rule, verdict.MatchedRules);
    }

    [Theory]
    [InlineData("my lips are sollen", "en")]
    [InlineData("i have a fevr", "en")]
    [InlineData("redness is spredding", "en")]
    [InlineData("blisteres on my chin", "en")]
    [InlineData("tengo fievre", "es")]
    [InlineData("me salieron anpollas", "es")]
    public void Typos_are_tolerated(string text, string locale) =>
        Assert.Equal(TriageKind.Urgent, Triage.Classify(text, locale).Kind);

    [Theory]
    [InlineData("MY FACE IS INFECTED", "en")]
    [InlineData("FIÉBRE", "es")]
    [InlineData("Tengo FiEbRe", "es")]
    [InlineData("se me hincharon los párpados", "es")]
    [InlineData("se me hincharon los parpados", "es")]
    [InlineData("puuuus 😭", "en")]
    public void Case_accents_and_stretched_letters_do_not_matter(string text, string locale) =>
        Assert.Equal(TriageKind.Urgent, Triage.Classify(text, locale).Kind);

    [Theory]
    [InlineData("u think its infected??", "en", TriageKind.Urgent)]
    [InlineData("r u open 2moro", "en", TriageKind.Question)]
    [InlineData("q me sale pus", "es", TriageKind.Urgent)]
    [InlineData("xq me pica", "es", TriageKind.Other)]
    public void SMS_spelling_is_read(string text, string locale, TriageKind expected) =>
        Assert.Equal(expected, Triage.Classify(text, locale).Kind);

    [Theory]
    [InlineData("I can't breathe", "en")]
    [InlineData("my throat is closing up", "en")]
    [InlineData("no puedo respirar", "es")]
    [InlineData("se me cierra la garganta", "es")]
    public void Trouble_breathing_is_an_emergency(string text, string locale)
    {
        var verdict = Triage.Classify(text, locale);

        Assert.Equal(TriageKind.Urgent, verdict.Kind);
        Assert.True(verdict.Emergency);
    }

    [Fact]
    public void An_urgent_reply_that_is_no_emergency_says_so() =>
        Assert.False(Triage.Classify("there's pus", "en").Emergency);

    [Fact]
    public void Every_matching_rule_is_named_in_file_order_and_urgent_wins_over_question()
    {
        var verdict = Triage.Classify("pus and a fever, what should I do?", "en");

        Assert.Equal(TriageKind.Urgent, verdict.Kind);
        Assert.Equal(["pus", "fever", "question-mark", "question-words"], verdict.MatchedRules);
        Assert.Empty(verdict.NegatedRules);
    }

    [Theory]
    [InlineData("never felt better", "en")]
    [InlineData("thanks, see you in 6 weeks", "en")]
    [InlineData("", "en")]
    [InlineData("👍", "es")]
    public void Nothing_to_flag_is_other_with_no_rules(string text, string locale)
    {
        var verdict = Triage.Classify(text, locale);

        Assert.Equal(TriageKind.Other, verdict.Kind);
        Assert.Empty(verdict.MatchedRules);
    }

    [Theory]
    [InlineData("es-MX", "es")]
    [InlineData("ES", "es")]
    [InlineData("fr", "en")]
    [InlineData(null, "en")]
    public void A_locale_without_its_own_file_uses_its_language_then_English(string? locale, string used) =>
        Assert.Equal(used, Triage.Classify("ok", locale).Locale);

    [Fact]
    public void A_null_text_is_refused() =>
        Assert.Throws<ArgumentNullException>(() => Triage.Classify(null!, "en"));
}
