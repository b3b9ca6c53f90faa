namespace Aftercare.Core.Replies;

/// <summary>A word or phrase of a rule, matched against consecutive words of one sentence of a reply.</summary>
internal sealed record TriageTerm(string Source, IReadOnlyList<TermToken> Tokens)
{
    /// <summary>True when the term's words match the reply's words starting at <paramref name="start"/>.</summary>
    public bool MatchesAt(IReadOnlyList<ReplyToken> words, int start)
    {
        if (start + Tokens.Count > words.Count)
        {
            return false;
        }

        for (var i = 0; i < Tokens.Count; i++)
        {
            var word = words[start + i];
            if (word.Sentence != words[start].Sentence || !Tokens[i].Matches(word.Text))
            {
                return false;
            }
        }

        return true;
    }
}
