using System.Collections.Frozen;

namespace Aftercare.Core.Messaging;

/// <summary>
/// The opt-out instruction, per locale, that the first text a number receives from a clinic carries (CTIA Messaging
/// Principles and Best Practices: opt-out information in the first message; "STOP" is one of the keywords Twilio and
/// the carriers act on, see Twilio's "Twilio support for opt-out keywords (SMS STOP filtering)"). It is appended, on a
/// line of its own, to a text that does not already say it (<see cref="OutgoingText.Compose"/>).
/// </summary>
public static class OptOutLine
{
    private static readonly FrozenDictionary<string, string> Lines = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "Reply STOP to opt out.",
        ["es"] = "Responde STOP para no recibir más.",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The languages that have a line; a plan template in any other locale fails to load.</summary>
    public static IReadOnlyCollection<string> Languages => Lines.Keys;

    /// <summary>True when <paramref name="locale"/> ("es" or "es-MX") has a line of its own language.</summary>
    public static bool Has(string locale) => Lines.ContainsKey(Language(locale));

    /// <summary>
    /// The line for <paramref name="locale"/>, matched by language ("es-MX" takes "es"), else English; normalised as
    /// texts are (<see cref="SmsText.Normalize"/>: "más" is sent as "mas"), so it can be looked for in a stored text.
    /// </summary>
    public static string For(string? locale) =>
        SmsText.Normalize(Lines.GetValueOrDefault(Language(locale)) ?? Lines["en"]);

    /// <summary>True when <paramref name="text"/> already carries the line for <paramref name="locale"/>.</summary>
    public static bool IsIn(string text, string? locale)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains(For(locale), StringComparison.Ordinal);
    }

    /// <summary><paramref name="text"/> with the line on a new line after it, unless it carries the line already.</summary>
    public static string AppendTo(string text, string? locale)
    {
        ArgumentNullException.ThrowIfNull(text);
        return IsIn(text, locale) ? text : text + "\n" + For(locale);
    }

    private static string Language(string? locale) =>
        string.IsNullOrWhiteSpace(locale) ? string.Empty : locale.Trim().Replace('_', '-').Split('-')[0];
}
