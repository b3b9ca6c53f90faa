using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Aftercare.Core.Messaging;

namespace Aftercare.Core.Replies;

/// <summary>
/// Turns a reply (or a rule's term) into comparable words: lower case, accents dropped ("está" and "esta", "año" and
/// "ano" match), apostrophes dropped ("can't" is "cant"), a letter typed three or more times once ("sooo" is "so"), SMS
/// spellings replaced ("u" is "you"), and "?" and "¿" kept as a word of their own. Sentences end at . ! ; and line breaks; clauses also at , : and the locale's clause words ("but", "pero").
/// </summary>
internal static class ReplyText
{
    public const string QuestionMark = "?";

    private static readonly FrozenDictionary<char, char> Gsm7Accented = new Dictionary<char, char>
    {
        ['é'] = 'e',
        ['è'] = 'e',
        ['ì'] = 'i',
        ['ò'] = 'o',
        ['ù'] = 'u',
        ['ä'] = 'a',
        ['ö'] = 'o',
        ['ü'] = 'u',
        ['ñ'] = 'n',
        ['å'] = 'a',
        ['ø'] = 'o',
        ['à'] = 'a',
        ['ç'] = 'c',
    }.ToFrozenDictionary();

    public static List<ReplyToken> Tokenize(
        string text, IReadOnlyDictionary<string, string[]> spellings, IReadOnlySet<string> clauseWords)
    {
        var tokens = new List<ReplyToken>();
        var word = new StringBuilder();
        int sentence = 0, clause = 0;

        void Flush()
        {
            if (word.Length == 0)
            {
                return;
            }

            var folded = Unstretch(word.ToString());
            word.Clear();
            if (clauseWords.Contains(folded))
            {
                clause++;
            }

            if (spellings.TryGetValue(folded, out var replacement))
            {
                tokens.AddRange(replacement.Select(r => new ReplyToken(r, sentence, clause)));
            }
            else
            {
                tokens.Add(new ReplyToken(folded, sentence, clause));
            }
        }

        foreach (var c in Fold(text))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
            else if (c is '\'' or '\u2019' or '`')
            {
                // inside a word: "can't", "it’s"
            }
            else
            {
                Flush();
                switch (c)
                {
                    case '?' or '¿':
                        tokens.Add(new ReplyToken(QuestionMark, sentence, clause));
                        break;
                    case '.' or '!' or '¡' or ';' or '\n' or '\r':
                        sentence++;
                        clause++;
                        break;
                    case ',' or ':' or '(' or ')':
                        clause++;
                        break;
                }
            }
        }

        Flush();
        return tokens;
    }

    /// <summary>Lower case without accents ("Ñ" becomes "n"); combining marks (a decomposed "é") are dropped.</summary>
    /// <remarks>
    /// A table rather than <c>string.Normalize(NormalizationForm.FormD)</c>: the app runs with invariant globalization,
    /// where that does not decompose. <see cref="GsmFolding"/> holds the letters GSM-7 lacks; these are the accented
    /// letters GSM-7 has.
    /// </remarks>
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            var lower = char.ToLowerInvariant(c);
            builder.Append(Gsm7Accented.GetValueOrDefault(lower, GsmFolding.BaseLetter(lower)));
        }

        return builder.ToString();
    }

    // A letter typed three or more times is meant once far more often than twice ("sooo", "hurtsss", "fiebreee").
    private static string Unstretch(string word)
    {
        var builder = new StringBuilder(word.Length);
        for (var i = 0; i < word.Length;)
        {
            var run = 1;
            while (i + run < word.Length && word[i + run] == word[i])
            {
                run++;
            }

            builder.Append(word[i], run >= 3 ? 1 : run);
            i += run;
        }

        return builder.ToString();
    }
}
