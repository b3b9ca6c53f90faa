using System.Collections.Frozen;
using Aftercare.Core.Messaging;

namespace Aftercare.Core.Conversation;

/// <summary>
/// Recognises the keyword replies: the whole body, trimmed, compared case- and accent-insensitively, or Twilio's
/// <c>OptOutType</c> parameter (STOP, START or HELP), which Twilio adds when a Messaging Service with Advanced Opt-Out
/// matched one of its own keywords (Twilio, "Customize users' opt-in and opt-out experience with Advanced Opt-Out").
/// The English opt-out and opt-in words are Twilio's defaults (Twilio, "Twilio support for opt-out keywords (SMS STOP
/// filtering)"); the Spanish ones are ours: PARAR, PARA, DETENER, BAJA, CANCELAR, ALTO (opt-out), COMENZAR, INICIAR,
/// ALTA, SI (opt-in), AYUDA, INFORMACION (help).
/// </summary>
public static class ReplyKeywords
{
    /// <summary>Opt-out words, upper case without accents.</summary>
    public static readonly IReadOnlyList<string> OptOut =
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "PARAR", "PARA", "DETENER", "BAJA", "CANCELAR", "ALTO"];

    /// <summary>Opt-in words, upper case without accents.</summary>
    public static readonly IReadOnlyList<string> OptIn = ["START", "UNSTOP", "YES", "COMENZAR", "INICIAR", "ALTA", "SI"];

    /// <summary>Help words, upper case without accents.</summary>
    public static readonly IReadOnlyList<string> Help = ["HELP", "INFO", "AYUDA", "INFORMACION"];

    /// <summary>Longer than any keyword: a longer body is free text without further work.</summary>
    private const int MaxKeywordLength = 16;

    private static readonly FrozenDictionary<string, ReplyKind> Words =
        OptOut.Select(w => KeyValuePair.Create(w, ReplyKind.OptOut))
            .Concat(OptIn.Select(w => KeyValuePair.Create(w, ReplyKind.OptIn)))
            .Concat(Help.Select(w => KeyValuePair.Create(w, ReplyKind.Help)))
            .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The kind of a reply. <paramref name="optOutType"/> wins when Twilio set it (STOP, START, HELP, any case);
    /// otherwise the whole trimmed body must be one keyword ("stop", " Stop. " is not: punctuation makes it text).
    /// </summary>
    /// <param name="body">The SMS text as Twilio posted it (<c>Body</c>); null or empty is <see cref="ReplyKind.Text"/>.</param>
    /// <param name="optOutType">Twilio's <c>OptOutType</c>, absent unless Advanced Opt-Out matched a keyword.</param>
    public static ReplyKind Classify(string? body, string? optOutType)
    {
        switch (optOutType?.Trim().ToUpperInvariant())
        {
            case "STOP":
                return ReplyKind.OptOut;
            case "START":
                return ReplyKind.OptIn;
            case "HELP":
                return ReplyKind.Help;
        }

        var trimmed = body?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxKeywordLength)
        {
            return ReplyKind.Text;
        }

        // GsmFolding takes accents off ("Sí" → "Si", "información" → "informacion") without Unicode data, which the app runs without.
        return Words.TryGetValue(GsmFolding.Fold(trimmed).ToUpperInvariant(), out var kind) ? kind : ReplyKind.Text;
    }
}
