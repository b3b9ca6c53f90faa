using Quickenshtein;

namespace Aftercare.Core.Replies;

/// <summary>
/// One word of a rule's term, folded like a reply (<see cref="ReplyText"/>). A word written with a trailing <c>*</c> in
/// the rule file is a stem ("swell*" matches "swelling", "swollen" does not). A reply's word matches despite a typo: one
/// edit (Levenshtein) for a word of 5–7 letters, two from 8, none below 5 ("pus" must be "pus"), and never when the
/// first letter differs ("never" is not "fever").
/// </summary>
internal sealed record TermToken(string Text, bool IsStem)
{
    public bool Matches(string word)
    {
        if (word == Text || (IsStem && word.StartsWith(Text, StringComparison.Ordinal)))
        {
            return true;
        }

        var allowed = Text.Length >= 8 ? 2 : Text.Length >= 5 ? 1 : 0;
        if (allowed == 0 || word.Length == 0 || word[0] != Text[0])
        {
            return false;
        }

        if (IsStem)
        {
            // The stem against the word's beginning, however long the typo left it: "fevr" and "fevrish" for "fever*".
            for (var length = Math.Max(1, Text.Length - allowed); length <= Math.Min(word.Length, Text.Length + allowed); length++)
            {
                if (Levenshtein.GetDistance(word[..length], Text) <= allowed)
                {
                    return true;
                }
            }

            return false;
        }

        return Math.Abs(word.Length - Text.Length) <= allowed && Levenshtein.GetDistance(word, Text) <= allowed;
    }
}
