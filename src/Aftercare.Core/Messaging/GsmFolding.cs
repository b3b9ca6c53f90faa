using System.Collections.Frozen;
using System.Text;

namespace Aftercare.Core.Messaging;

/// <summary>
/// Turns a name (or, as a last resort, a whole text) into GSM-7 basic characters: after <see cref="SmsText.Normalize"/>
/// (so "…" is "..."), a Latin letter with a diacritic GSM-7 lacks becomes its base letter ("Zoë" → "Zoe", "Łucja" →
/// "Lucja", "Nguyễn" → "Nguyen"), and what has no Latin form (other scripts, emoji, extension characters) is dropped.
/// The result costs at most <see cref="ContentLimits.Units"/> of the input, one septet a character, so a value within
/// its limit stays within it folded.
/// </summary>
/// <remarks>
/// A table rather than Unicode decomposition: the app runs with invariant globalization, where
/// <c>string.Normalize(FormD)</c> does not decompose, and a table also covers letters that do not decompose (ł, đ, ı).
/// </remarks>
public static class GsmFolding
{
    private static readonly FrozenDictionary<char, char> BaseLetters = BuildTable();

    /// <summary><paramref name="value"/> in GSM-7 basic characters, trimmed; never longer in septets than its <see cref="ContentLimits.Units"/>.</summary>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in SmsText.Normalize(value))
        {
            if (Gsm7Alphabet.IsBasic(c))
            {
                builder.Append(c);
            }
            else if (BaseLetters.TryGetValue(c, out var letter))
            {
                builder.Append(letter);
            }
        }

        return builder.ToString().Trim();
    }

    /// <summary>The base letter of a Latin letter GSM-7 lacks ('ł' → 'l'), or the character itself.</summary>
    internal static char BaseLetter(char c) => BaseLetters.GetValueOrDefault(c, c);

    private static FrozenDictionary<char, char> BuildTable()
    {
        (string Letters, char Base)[] groups =
        [
            ("ÀÁÂÃĀĂĄǍ", 'A'), ("àáâãāăąǎ", 'a'), ("ĆĈĊČ", 'C'), ("çćĉċč", 'c'), ("ĎĐÐ", 'D'), ("ďđð", 'd'),
            ("ÈÊËĒĔĖĘĚ", 'E'), ("êëēĕėęě", 'e'), ("ĜĞĠĢ", 'G'), ("ĝğġģ", 'g'), ("ĤĦ", 'H'), ("ĥħ", 'h'),
            ("ÌÍÎÏĨĪĬĮİǏ", 'I'), ("íîïĩīĭįıǐ", 'i'), ("Ĵ", 'J'), ("ĵ", 'j'), ("Ķ", 'K'), ("ķĸ", 'k'),
            ("ĹĻĽĿŁ", 'L'), ("ĺļľŀł", 'l'), ("ŃŅŇŊ", 'N'), ("ńņňŉŋ", 'n'), ("ÒÓÔÕŌŎŐƠǑ", 'O'), ("óôõōŏőơǒ", 'o'),
            ("ŔŖŘ", 'R'), ("ŕŗř", 'r'), ("ŚŜŞŠȘ", 'S'), ("śŝşšș", 's'), ("ŢŤŦȚ", 'T'), ("ţťŧț", 't'),
            ("ÙÚÛŨŪŬŮŰŲƯǓ", 'U'), ("úûũūŭůűųưǔ", 'u'), ("Ŵ", 'W'), ("ŵ", 'w'), ("ÝŶŸ", 'Y'), ("ýÿŷ", 'y'),
            ("ŹŻŽ", 'Z'), ("źżž", 'z'),
        ];

        var table = new Dictionary<char, char>();
        foreach (var (letters, letter) in groups)
        {
            foreach (var c in letters)
            {
                table[c] = letter;
            }
        }

        // Vietnamese letters (Latin Extended Additional, U+1EA0–U+1EF9) come in capital/small pairs by base letter.
        (char First, char Last, char Base)[] vietnamese =
        [
            ('\u1EA0', '\u1EB7', 'a'), ('\u1EB8', '\u1EC7', 'e'), ('\u1EC8', '\u1ECB', 'i'),
            ('\u1ECC', '\u1EE3', 'o'), ('\u1EE4', '\u1EF1', 'u'), ('\u1EF2', '\u1EF9', 'y'),
        ];
        foreach (var (first, last, letter) in vietnamese)
        {
            for (var c = first; c <= last; c++)
            {
                table[c] = (c - first) % 2 == 0 ? char.ToUpperInvariant(letter) : letter;
            }
        }

        return table.ToFrozenDictionary();
    }
}
