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
    /// GSM-7 where it can.
    /// </summary>
    /// <remarks>
    /// A name GSM-7 cannot carry (e.g. "Zoë") turns the whole text into UCS-2, whose two segments hold only 134
    /// units. The name is kept as written when the text still fits; otherwise the first name and clinic name are
    /// folded to GSM-7 ("Zoe") — dropping a name entirely only when nothing of it is Latin — so every text stays
    /// within <see cref="ContentLimits.MaxSegments"/> segments.
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

        var values = new Dictionary<string, string>
        {
            [MessageTemplates.FirstName] = context.FirstName.Trim(),
            [MessageTemplates.ClinicName] = clinic.Name.Trim(),
            [MessageTemplates.BookingUrl] = clinic.BookingUrl,
            [MessageTemplates.ClinicPhone] = clinic.ContactPhone,
        };

        var text = SmsText.Normalize(MessageTemplates.Fill(template, values));
        var measure = SmsText.Measure(text);
        if (measure.Encoding == SmsEncoding.Ucs2 && measure.Segments > ContentLimits.MaxSegments)
        {
            values[MessageTemplates.FirstName] = GsmFolding.Fold(values[MessageTemplates.FirstName]);
            values[MessageTemplates.ClinicName] = GsmFolding.Fold(values[MessageTemplates.ClinicName]);
            text = SmsText.Normalize(MessageTemplates.Fill(template, values));
            measure = SmsText.Measure(text);
        }

        return new RenderedSms(text, locale, measure.Encoding, measure.Segments);
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
}
