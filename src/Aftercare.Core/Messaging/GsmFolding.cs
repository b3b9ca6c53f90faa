using System.Globalization;
using System.Text;

namespace Aftercare.Core.Messaging;

/// <summary>
/// Turns a name into GSM-7 basic characters: a letter with a diacritic GSM-7 lacks becomes its base letter
/// ("Zoë" → "Zoe", "Łucja" → "Lucja"), and what has no Latin form (other scripts, emoji, extension characters) is
/// dropped. Never longer than the input, so the segment budget checked at plan load still holds.
/// </summary>
internal static class GsmFolding
{
    public static string Fold(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in SmsText.Normalize(value))
        {
            if (Gsm7Alphabet.IsBasic(c))
            {
                builder.Append(c);
            }
            else if (BaseLetter(c) is { } letter)
            {
                builder.Append(letter);
            }
        }

        return builder.ToString().Trim();
    }

    private static char? BaseLetter(char c)
    {
        switch (c)
        {
            case 'ł': return 'l';
            case 'Ł': return 'L';
            case 'đ': return 'd';
            case 'Đ': return 'D';
            case 'ı': return 'i';
            case 'ç': return 'c';
        }

        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        var first = decomposed[0];
        var onlyMarks = decomposed.Skip(1).All(m => CharUnicodeInfo.GetUnicodeCategory(m) == UnicodeCategory.NonSpacingMark);
        return decomposed.Length > 1 && onlyMarks && Gsm7Alphabet.IsBasic(first) && char.IsLetter(first) ? first : null;
    }
}
