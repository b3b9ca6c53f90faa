using Aftercare.Core.Clinics;
using NodaTime;

namespace Aftercare.Testing;

/// <summary>Clinics that runs write straight through the storage repositories (the chaos run, the load harness).</summary>
public static class SeedClinics
{
    /// <summary>The zone of <see cref="AnyHour"/>'s clinic (and of the clients a run seeds for it).</summary>
    public const string Zone = "Etc/UTC";

    /// <summary>
    /// A new clinic in UTC with no quiet hours, so its texts go out the moment they are due; its webhook secret is a
    /// placeholder (runs seed treatments directly, never through the signed endpoint).
    /// </summary>
    public static Clinic AnyHour(string name, Instant now) => new()
    {
        Id = ClinicIds.Create(),
        Name = name,
        TimeZoneId = Zone,
        SenderPhone = "+15550000000",
        BookingUrl = "https://example.com/book",
        ContactPhone = "+15550000001",
        QuietHours = new QuietHours(LocalTime.Midnight, LocalTime.Midnight),
        DefaultLocale = "en",
        WebhookSecret = "seeded-secret-not-used",
        CreatedAt = now,
    };
}
