using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using NodaTime;

namespace Aftercare.Core.Tests.Content;

/// <summary>The shipped plans (as copied to the test output) and clinics to render them for.</summary>
internal static class ContentTestData
{
    private static readonly Lazy<PlanCatalog> LazyCatalog = new(() => PlanCatalog.Load(ReadPlanFiles()));

    public static string PlansDirectory => Path.Combine(AppContext.BaseDirectory, "plans");

    /// <summary>The shipped plan files, as the host reads them.</summary>
    public static IReadOnlyList<PlanFile> ReadPlanFiles() =>
        Directory.EnumerateFiles(PlansDirectory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new PlanFile(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();

    public static PlanCatalog Shipped => LazyCatalog.Value;

    public static Plan ShippedPlan(string id) => Shipped.Find(id) ?? throw new InvalidOperationException($"no shipped plan {id}");

    public static Clinic Clinic(
        string name = "Riverside Skin",
        string bookingUrl = "https://book.example.com/r",
        string contactPhone = "+15550100",
        string defaultLocale = "en",
        IReadOnlyDictionary<string, string>? overrides = null) => new()
        {
            Id = "clinic-1",
            Name = name,
            TimeZoneId = "America/New_York",
            SenderPhone = "+15550199",
            BookingUrl = bookingUrl,
            ContactPhone = contactPhone,
            QuietHours = QuietHours.Default,
            DefaultLocale = defaultLocale,
            WebhookSecret = "secret",
            TemplateOverrides = overrides ?? new Dictionary<string, string>(),
            CreatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
        };

    /// <summary>A clinic and client with every placeholder value at its longest (GSM-7 basic characters).</summary>
    public static MessageContext Longest(string locale, string? firstName = null, string? clinicName = null) =>
        new(
            locale,
            firstName ?? MessageTemplates.LongestValues[MessageTemplates.FirstName],
            Clinic(
                name: clinicName ?? MessageTemplates.LongestValues[MessageTemplates.ClinicName],
                bookingUrl: MessageTemplates.LongestValues[MessageTemplates.BookingUrl],
                contactPhone: MessageTemplates.LongestValues[MessageTemplates.ClinicPhone]));
}
