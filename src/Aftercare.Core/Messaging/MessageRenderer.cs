using Aftercare.Core.Clinics;
using Aftercare.Core.Plans;

namespace Aftercare.Core.Messaging;

/// <summary>Turns a plan stage into the text one client receives.</summary>
public static class MessageRenderer
{
    public const string FallbackLocale = "en";

    /// <summary>
    /// Picks the locale (the client's, then the clinic's default, then English; "es-MX" matches "es"), takes the
    /// clinic's override for the stage and locale if it has one, fills the placeholders and normalises the text to
    /// GSM-7 where it can. The text is the one stored at registration; <see cref="OutgoingText.Compose"/> makes the
    /// text actually sent from it.
    /// </summary>
    /// <remarks>
    /// Any stage may be the first text a number receives and carry the <see cref="OptOutLine"/>, so the text is made
    /// to fit <see cref="ContentLimits.MaxSegments"/> segments with that line added. When it does not, only the name
    /// part is shortened, one step at a time until it fits: (1) the names as written ("Zoë" keeps the text in UCS-2,
    /// whose two segments hold only 134 units); (2) the first name and clinic name folded to GSM-7 letters ("Zoe",
    /// "Lucja"; what has no Latin form, such as emoji or CJK, is dropped); (3) no first name at all, the greeting kept
    /// ("Hi Maya," becomes "Hi,"). Templates and values within their limits always fit by step (3)
    /// (<see cref="MessageTemplates.Validate"/>, <see cref="ContentLimits"/>); otherwise (an override saved before
    /// overrides were held to the opt-out line) the text of step (3) is stored and shortened again when it is sent.
    /// </remarks>
    public static RenderedSms Render(PlanStage stage, MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(context);
        var clinic = context.Clinic;
        var locale = ChooseLocale(stage, context.Locale, clinic.DefaultLocale);
        var template = clinic.TemplateOverrides.TryGetValue(Clinic.TemplateOverrideKey(stage.Id, locale), out var custom)
            ? custom
            : stage.Templates[locale];

        var text = string.Empty;
        foreach (var (firstName, clinicName) in NameParts(context.FirstName.Trim(), clinic.Name.Trim()))
        {
            var values = new Dictionary<string, string>
            {
                [MessageTemplates.FirstName] = firstName,
                [MessageTemplates.ClinicName] = clinicName,
                [MessageTemplates.BookingUrl] = clinic.BookingUrl,
                [MessageTemplates.ClinicPhone] = clinic.ContactPhone,
            };
            text = SmsText.Normalize(MessageTemplates.Fill(template, values));
            if (SmsText.Measure(OptOutLine.AppendTo(text, locale)).Segments <= ContentLimits.MaxSegments)
            {
                break;
            }
        }

        var measure = SmsText.Measure(text);
        return new RenderedSms(text, locale, measure.Encoding, measure.Segments);
    }

    /// <summary>
    /// The forms a first name takes in a rendered text, longest first: as written (trimmed, normalised) and folded to
    /// GSM-7 letters; the third form, no name, is not listed.
    /// </summary>
    internal static IEnumerable<string> RenderedFirstNames(string firstName)
    {
        var trimmed = firstName.Trim();
        yield return SmsText.Normalize(trimmed);
        yield return GsmFolding.Fold(trimmed);
    }

    /// <summary>The stage's locale for a preference: exact match, then language only, then the clinic's, then English.</summary>
    public static string ChooseLocale(PlanStage stage, string? preferred, string? clinicDefault)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return Match(stage, preferred) ?? Match(stage, clinicDefault) ?? Match(stage, FallbackLocale)
            ?? stage.Templates.Keys.Order(StringComparer.Ordinal).First();
    }

    private static string? Match(PlanStage stage, string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var wanted = locale.Trim().Replace('_', '-');
        var language = wanted.Split('-')[0];
        return stage.Templates.Keys.FirstOrDefault(k => string.Equals(k, wanted, StringComparison.OrdinalIgnoreCase))
            ?? stage.Templates.Keys.FirstOrDefault(k => string.Equals(k, language, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<(string FirstName, string ClinicName)> NameParts(string firstName, string clinicName)
    {
        yield return (firstName, clinicName);
        var folded = GsmFolding.Fold(clinicName);
        yield return (GsmFolding.Fold(firstName), folded);
        yield return (string.Empty, folded);
    }
}
