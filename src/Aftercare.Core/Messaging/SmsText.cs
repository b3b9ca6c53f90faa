using System.Text;

namespace Aftercare.Core.Messaging;

/// <summary>Measures texts the way carriers bill them, and replaces characters that would needlessly force UCS-2.</summary>
public static class SmsText
{
    public const int Gsm7SingleSegment = 160;
    public const int Gsm7MultiSegment = 153;
    public const int Ucs2SingleSegment = 70;
    public const int Ucs2MultiSegment = 67;

    /// <summary>
    /// The encoding, units and segments of <paramref name="text"/>. A split message is packed greedily into 153-septet
    /// (or 67-unit) segments without cutting an extension escape or a surrogate pair in two, as handsets reassemble
    /// them; so a text full of extension characters can need one more segment than units / 153 suggests. The empty
    /// text still costs one segment.
    /// </summary>
    public static SmsMeasure Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsGsm7(text) ? MeasureGsm7(text) : MeasureUcs2(text);
    }

    /// <summary>True when every character is in the GSM-7 basic or extension table.</summary>
    public static bool IsGsm7(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (Gsm7Alphabet.Septets(c) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every character is in the GSM-7 basic table (one septet each).</summary>
    public static bool IsGsm7Basic(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (!Gsm7Alphabet.IsBasic(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when two texts are the same message even if a carrier or the provider swapped characters on the way
    /// (smart encoding turns letters GSM-7 lacks into their base letter, curly quotes into straight ones): used to recognise a text we sent.
    /// </summary>
    public static bool SameText(string? sent, string? held)
    {
        if (sent is null || held is null)
        {
            return false;
        }

        return string.Equals(GsmFolding.Fold(sent), GsmFolding.Fold(held), StringComparison.Ordinal);
    }

    /// <summary>
    /// Replaces typographic characters (curly quotes, dashes, ellipsis, non-breaking and other special spaces,
    /// invisible characters) and the Spanish acute vowels á í ó ú with their GSM-7 equivalents. Anything else is kept.
    /// </summary>
    /// <remarks>
    /// Spanish: é ñ ü ¿ ¡ are GSM-7, but á í ó ú are not, so one of them would turn a whole Spanish text into UCS-2 and
    /// shrink its two-segment budget from 306 septets to 134 units — too little for useful advice plus a name, a clinic
    /// name and a booking link. We therefore drop the accent from those four vowels (as gateway "smart encoding" does):
    /// "día" is sent as "dia", which Spanish readers are used to in texts. Plan files keep the correct spelling.
    /// </remarks>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var replacement = Gsm7Replacements.For(text[i]);
            if (replacement is null)
            {
                builder?.Append(text[i]);
                continue;
            }

            builder ??= new StringBuilder(text.Length).Append(text, 0, i);
            builder.Append(replacement);
        }

        return builder?.ToString() ?? text;
    }

    private static SmsMeasure MeasureGsm7(string text)
    {
        var units = 0;
        var segments = 1;
        var inSegment = 0;
        foreach (var c in text)
        {
            var cost = Gsm7Alphabet.Septets(c)!.Value;
            units += cost;
            if (inSegment + cost > Gsm7MultiSegment)
            {
                segments++;
                inSegment = 0;
            }

            inSegment += cost;
        }

        return new SmsMeasure(SmsEncoding.Gsm7, units, units <= Gsm7SingleSegment ? 1 : segments);
    }

    private static SmsMeasure MeasureUcs2(string text)
    {
        var segments = 1;
        var inSegment = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var cost = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (inSegment + cost > Ucs2MultiSegment)
            {
                segments++;
                inSegment = 0;
            }

            inSegment += cost;
            i += cost - 1;
        }

        return new SmsMeasure(SmsEncoding.Ucs2, text.Length, text.Length <= Ucs2SingleSegment ? 1 : segments);
    }
}
