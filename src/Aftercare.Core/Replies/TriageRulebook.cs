namespace Aftercare.Core.Replies;

/// <summary>
/// The rules of one locale and the words around them: negation cues ("no", "sin") that cancel a term up to
/// the file's <c>negationWindow</c> words after them within their clause, phrases that look like negation but are not ("not
/// sure", "no sé"), clause words, SMS spellings, and the answers to an urgent reply.
/// </summary>
internal sealed class TriageRulebook(
    string locale,
    IReadOnlyList<TriageRule> rules,
    IReadOnlySet<string> negations,
    IReadOnlyList<TriageTerm> pseudoNegations,
    int negationWindow,
    IReadOnlySet<string> clauseWords,
    IReadOnlyDictionary<string, string[]> spellings,
    UrgentAnswers answers)
{
    public string Locale => locale;

    public UrgentAnswers Answers => answers;

    public TriageVerdict Classify(string text)
    {
        var words = ReplyText.Tokenize(text, spellings, clauseWords);
        var matched = new List<TriageRule>();
        var negated = new List<string>();
        foreach (var rule in rules)
        {
            switch (Evaluate(rule, words))
            {
                case RuleOutcome.Matched:
                    matched.Add(rule);
                    break;
                case RuleOutcome.Negated:
                    negated.Add(rule.Id);
                    break;
            }
        }

        var kind = matched.Any(r => r.Kind == TriageKind.Urgent) ? TriageKind.Urgent
            : matched.Any(r => r.Kind == TriageKind.Question) ? TriageKind.Question
            : TriageKind.Other;
        return new TriageVerdict(kind, matched.Any(r => r.Emergency), locale, matched.Select(r => r.Id).ToList(), negated);
    }

    private RuleOutcome Evaluate(TriageRule rule, List<ReplyToken> words)
    {
        var outcome = RuleOutcome.None;
        foreach (var sentence in words.Select(w => w.Sentence).Distinct())
        {
            var allPositive = true;
            var allPresent = true;
            foreach (var group in rule.Groups)
            {
                var (present, positive) = FindGroup(group, words, sentence, rule.Negatable);
                allPositive &= positive;
                allPresent &= present;
            }

            if (allPositive)
            {
                return RuleOutcome.Matched;
            }

            if (allPresent)
            {
                outcome = RuleOutcome.Negated;
            }
        }

        return outcome;
    }

    private (bool Present, bool Positive) FindGroup(
        IReadOnlyList<TriageTerm> group, List<ReplyToken> words, int sentence, bool negatable)
    {
        var present = false;
        for (var start = 0; start < words.Count; start++)
        {
            if (words[start].Sentence != sentence)
            {
                continue;
            }

            foreach (var term in group)
            {
                if (!term.MatchesAt(words, start))
                {
                    continue;
                }

                if (!negatable || !IsNegated(words, start))
                {
                    return (true, true);
                }

                present = true;
            }
        }

        return (present, false);
    }

    private bool IsNegated(List<ReplyToken> words, int start)
    {
        for (var i = start - 1; i >= 0 && i >= start - negationWindow; i--)
        {
            if (words[i].Clause != words[start].Clause)
            {
                return false;
            }

            if (negations.Contains(words[i].Text) && !pseudoNegations.Any(p => p.MatchesAt(words, i)))
            {
                return true;
            }
        }

        return false;
    }

    private enum RuleOutcome
    {
        None,
        Negated,
        Matched,
    }
}
