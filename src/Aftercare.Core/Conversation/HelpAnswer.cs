using System.Collections.Frozen;
using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;

namespace Aftercare.Core.Conversation;

/// <summary>
/// The answer to HELP or INFO: the clinic's name and contact phone and the STOP line (<see cref="OptOutLine"/>), in the
/// client's language (CTIA Messaging Principles and Best Practices: a HELP reply names the sender and how to reach it,
/// and how to opt out).
/// </summary>
public static class HelpAnswer
{
    private static readonly FrozenDictionary<string, string> Lines = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "{0} aftercare texts. Questions or worries? Call us on {1}.",
        ["es"] = "{0}, mensajes de cuidados tras el tratamiento. ¿Dudas o molestias? Llámanos al {1}.",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The answer for <paramref name="locale"/> ("es-MX" takes "es"; an unknown language takes English), normalised as texts are.</summary>
    public static string For(Clinic clinic, string? locale)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        var language = string.IsNullOrWhiteSpace(locale) ? "en" : locale.Trim().Replace('_', '-').Split('-')[0];
        var line = Lines.GetValueOrDefault(language) ?? Lines["en"];
        return SmsText.Normalize(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, clinic.Name, clinic.ContactPhone))
            + "\n" + OptOutLine.For(locale);
    }
}
