using Aftercare.Core.Messaging;

namespace Aftercare.Core.Replies;

/// <summary>
/// Triage of a client's free-text reply into <see cref="TriageKind.Urgent"/>, <see cref="TriageKind.Question"/> or
/// <see cref="TriageKind.Other"/>, by rules that are data (a file per locale, <c>triage/en.json</c>, loaded and checked
/// at start-up like the plans), tolerant of case, accents, typos and SMS spelling, aware of negation, and explainable:
/// each <see cref="TriageVerdict"/> names the rules that matched. General triage, not diagnosis: the warning signs come
/// from the seed content's "call the clinic" advice (<c>aftercare-content.md</c>). Thread-safe once loaded.
/// </summary>
public sealed class ReplyTriage
{
    private readonly Dictionary<string, TriageRulebook> byLocale;

    private ReplyTriage(Dictionary<string, TriageRulebook> byLocale) => this.byLocale = byLocale;

    /// <summary>The locales that have a rule file, e.g. ["en", "es"].</summary>
    public IReadOnlyCollection<string> Locales => byLocale.Keys;

    /// <summary>
    /// Parses and validates every file; throws <see cref="TriageRuleValidationException"/> naming the file and field
    /// (a bad file stops start-up), including when no file is for <see cref="MessageRenderer.FallbackLocale"/>.
    /// </summary>
    public static ReplyTriage Load(IEnumerable<TriageRuleFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var byLocale = new Dictionary<string, TriageRulebook>(StringComparer.Ordinal);
        string? lastFile = null;
        foreach (var file in files)
        {
            var rulebook = TriageRuleParser.Parse(file);
            if (!byLocale.TryAdd(rulebook.Locale, rulebook))
            {
                throw new TriageRuleValidationException(file.FileName, "locale", $"'{rulebook.Locale}' has another file");
            }

            lastFile = file.FileName;
        }

        return byLocale.ContainsKey(MessageRenderer.FallbackLocale)
            ? new ReplyTriage(byLocale)
            : throw new TriageRuleValidationException(
                lastFile ?? "(none)", string.Empty, $"no rule file for '{MessageRenderer.FallbackLocale}', the fallback locale");
    }

    /// <summary>
    /// Triages <paramref name="text"/> (an SMS body, any length; empty is <see cref="TriageKind.Other"/>) with the rules
    /// of <paramref name="locale"/> ("es-MX" uses "es"; an unknown or missing locale uses English).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public TriageVerdict Classify(string text, string? locale)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Rulebook(locale).Classify(text);
    }

    /// <summary>
    /// The automatic answer to an urgent reply, in the verdict's locale: the clinic has been told and the client should
    /// call it now on <paramref name="clinicPhone"/>, or, when <see cref="TriageVerdict.Emergency"/>, call emergency
    /// services now. Normalised to GSM-7 where it can be (<see cref="SmsText.Normalize"/>); with a clinic name and number
    /// within <see cref="ContentLimits"/> it fits <see cref="ContentLimits.MaxSegments"/> segments (checked at load).
    /// </summary>
    /// <exception cref="ArgumentException">The verdict is not urgent.</exception>
    public string UrgentAnswer(TriageVerdict verdict, string clinicName, string clinicPhone)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(clinicName);
        ArgumentNullException.ThrowIfNull(clinicPhone);
        if (verdict.Kind != TriageKind.Urgent)
        {
            throw new ArgumentException("Only an urgent reply gets the urgent answer.", nameof(verdict));
        }

        var answers = Rulebook(verdict.Locale).Answers;
        var template = verdict.Emergency ? answers.Emergency : answers.Urgent;
        return SmsText.Normalize(MessageTemplates.Fill(template, new Dictionary<string, string>
        {
            [MessageTemplates.ClinicName] = clinicName.Trim(),
            [MessageTemplates.ClinicPhone] = clinicPhone.Trim(),
        }));
    }

    private TriageRulebook Rulebook(string? locale)
    {
        if (locale is not null)
        {
            var tag = locale.Trim().ToLowerInvariant();
            if (byLocale.TryGetValue(tag, out var exact))
            {
                return exact;
            }

            var dash = tag.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && byLocale.TryGetValue(tag[..dash], out var language))
            {
                return language;
            }
        }

        return byLocale[MessageRenderer.FallbackLocale];
    }
}
