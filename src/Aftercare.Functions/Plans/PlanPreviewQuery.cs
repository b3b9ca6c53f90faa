using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using Aftercare.Functions.Http;
using NodaTime;

namespace Aftercare.Functions.Plans;

/// <summary>
/// What a preview needs (a plan, a treatment time, a zone, a locale), validated once for both the HTTP endpoint and
/// the command-line verb. The clinic details are samples of the longest allowed length, so a preview also shows the
/// worst case for segments.
/// </summary>
internal static class PlanPreviewQuery
{
    /// <summary>
    /// How far ahead a preview's <c>performedAt</c> may be: a treatment booked up to a year from now can be previewed,
    /// and every stage's due time (the last is weeks later) stays far inside what dates and time-zone rules cover.
    /// </summary>
    public static Duration Horizon { get; } = Duration.FromDays(366);

    /// <param name="now">The current instant: <paramref name="performedAt"/> must be from 2000 to <see cref="Horizon"/> after it.</param>
    public static PreviewResponse? Run(
        IPlanCatalog plans, string planId, string? performedAt, string? timeZone, string? locale, Instant now, ValidationErrors errors)
    {
        var plan = plans.Find(planId);
        if (plan is null)
        {
            errors.Add("planId", "Known plans: " + string.Join(", ", plans.All.Select(p => p.Id)) + ".");
        }

        var at = errors.Timestamp(
            "performedAt", performedAt, new TimestampRange(TimestampRange.Floor, now + Horizon, "from 2000-01-01T00:00:00Z up to a year from now"));
        var zoneId = errors.TimeZone("timeZone", timeZone);
        var language = errors.Locale("locale", locale ?? MessageRenderer.FallbackLocale, PlanLocales.Supported(plans));
        if (plan is null || at is null || zoneId is null || language is null)
        {
            return null;
        }

        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var clinic = SampleClinic(zoneId, language);
        var rows = PlanPreview.Build(plan, at.Value.ToInstant(), zone, clinic.QuietHours, new MessageContext(language, SampleFirstName, clinic));
        return new PreviewResponse(
            plan.Id,
            plan.Title,
            zoneId,
            rows.Select(r => new PreviewMessage(
                r.Sequence,
                r.StageId,
                r.DueLocal.ToString("uuuu-MM-dd'T'HH:mm", null),
                r.DueAt.ToDateTimeOffset(),
                r.ExpiresAt.ToDateTimeOffset(),
                r.Message.Locale,
                r.Message.Text,
                r.Message.Encoding.ToString().ToLowerInvariant(),
                r.Message.Segments)).ToList());
    }

    private const string SampleFirstName = "Alexandra";

    private static Clinic SampleClinic(string zoneId, string locale) => new()
    {
        Id = "cl_00000000000000000000",
        Name = "Riverside Skin Clinic",
        TimeZoneId = zoneId,
        BookingUrl = "https://book.example.com/riverside",
        ContactPhone = "+442079460000",
        QuietHours = QuietHours.Default,
        DefaultLocale = locale,
        WebhookSecret = string.Empty,
        CreatedAt = Instant.FromUnixTimeSeconds(0),
    };
}

public sealed record PreviewResponse(string PlanId, string Title, string TimeZone, IReadOnlyList<PreviewMessage> Messages);

public sealed record PreviewMessage(
    int Sequence,
    string Stage,
    string DueAtLocal,
    DateTimeOffset DueAtUtc,
    DateTimeOffset FreshUntilUtc,
    string Locale,
    string Text,
    string Encoding,
    int Segments);
