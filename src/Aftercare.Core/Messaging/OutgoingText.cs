namespace Aftercare.Core.Messaging;

/// <summary>
/// The text handed to the SMS provider, made at the moment of sending from the text stored at registration: with the
/// <see cref="OptOutLine"/> when it is the first text the number receives from the clinic, and never more than
/// <see cref="ContentLimits.MaxSegments"/> segments.
/// </summary>
public static class OutgoingText
{
    /// <summary>
    /// <paramref name="body"/>, with the opt-out line for <paramref name="locale"/> appended on a line of its own when
    /// <paramref name="withOptOutLine"/> and the body does not say it already (never twice), checked against
    /// <see cref="ContentLimits.MaxSegments"/>. Over the limit, it is shortened, never failed, one step at a time until
    /// it fits; the opt-out line is always kept whole:
    /// <list type="number">
    /// <item>the client's first name is taken out, with the space before it ("Hi Maya," becomes "Hi,");</item>
    /// <item>the text is folded to GSM-7 letters (accents GSM-7 lacks dropped, emoji and other scripts left out);</item>
    /// <item>the text is cut after its last whole word that fits.</item>
    /// </list>
    /// A text rendered at registration from templates and values within their limits always fits with the line
    /// (<see cref="MessageRenderer.Render"/>): these steps are for texts stored before those limits held.
    /// </summary>
    /// <param name="firstName">The client's first name as registered, to find it in the body.</param>
    /// <param name="locale">The text's locale; null (a text stored without it) takes the English line.</param>
    public static RenderedSms Compose(string body, string firstName, string? locale, bool withOptOutLine)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(firstName);
        var text = WithLine(body, locale, withOptOutLine);
        if (!Fits(text))
        {
            body = WithoutFirstName(body, firstName);
            text = WithLine(body, locale, withOptOutLine);
        }

        if (!Fits(text))
        {
            body = GsmFolding.Fold(body);
            text = WithLine(body, locale, withOptOutLine);
        }

        while (!Fits(text) && body.Length > 0)
        {
            var lastSpace = body.LastIndexOf(' ');
            body = lastSpace > 0 ? body[..lastSpace] : body[..^1];
            text = WithLine(body, locale, withOptOutLine);
        }

        var measure = SmsText.Measure(text);
        return new RenderedSms(text, locale ?? MessageRenderer.FallbackLocale, measure.Encoding, measure.Segments);
    }

    private static string WithLine(string body, string? locale, bool withOptOutLine) =>
        withOptOutLine ? OptOutLine.AppendTo(body, locale) : body;

    private static bool Fits(string text) => SmsText.Measure(text).Segments <= ContentLimits.MaxSegments;

    /// <summary>The body without the first occurrence of the rendered first name that follows a space (the greeting's).</summary>
    private static string WithoutFirstName(string body, string firstName)
    {
        foreach (var name in MessageRenderer.RenderedFirstNames(firstName))
        {
            var at = name.Length == 0 ? -1 : body.IndexOf(" " + name, StringComparison.Ordinal);
            if (at >= 0)
            {
                return body.Remove(at, name.Length + 1);
            }
        }

        return body;
    }
}
