using Aftercare.Core.Treatments;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Treatments;

public class RegistrationComparisonTests
{
    private static readonly OffsetDateTime PerformedAt = new(new LocalDateTime(2026, 11, 20, 14, 30), Offset.Zero);

    private static readonly RegisterTreatment Request = new(
        "visit-1",
        "Maya",
        "+447400123456",
        "en",
        "Europe/London",
        new TreatmentDetails("microneedling", "pen", 1.5m, "face", PerformedAt),
        new SmsConsent(true, PerformedAt.PlusMinutes(-30), "tablet-form"));

    private static readonly Treatment Stored = new()
    {
        ClinicId = "cl_00000000000000000001",
        TreatmentId = TreatmentIds.For("cl_00000000000000000001", "visit-1"),
        ExternalId = "visit-1",
        Client = new ClientDetails("Maya", "+447400123456", "en", "Europe/London"),
        Details = Request.Details,
        Consent = Request.Consent,
        PlanId = "microneedling-default",
        Status = TreatmentStatus.Active,
        RegisteredAt = PerformedAt.ToInstant(),
    };

    public static TheoryData<string, RegisterTreatment> OneFieldChanged() => new()
    {
        { "client.firstName", Request with { FirstName = "maya" } },
        { "client.phone", Request with { Phone = "+447400123457" } },
        { "client.locale", Request with { Locale = "es" } },
        { "client.timeZone", Request with { TimeZoneId = "Europe/Dublin" } },
        { "treatment.type", Request with { Details = Request.Details with { Type = "Microneedling" } } },
        { "treatment.device", Request with { Details = Request.Details with { Device = "roller" } } },
        { "treatment.needleDepthMm", Request with { Details = Request.Details with { NeedleDepthMm = 1.25m } } },
        { "treatment.area", Request with { Details = Request.Details with { Area = "neck" } } },
        { "treatment.performedAt", Request with { Details = Request.Details with { PerformedAt = PerformedAt.PlusSeconds(1) } } },
        { "consent.capturedAt", Request with { Consent = Request.Consent with { CapturedAt = PerformedAt } } },
        { "consent.method", Request with { Consent = Request.Consent with { Method = "paper" } } },
    };

    [Theory]
    [MemberData(nameof(OneFieldChanged))]
    public void A_changed_field_is_named_alone(string field, RegisterTreatment repeat)
    {
        Assert.Equal([field], RegistrationComparison.DifferingFields(Stored, repeat));
    }

    [Fact]
    public void Left_out_optional_fields_another_offset_and_another_decimal_scale_are_the_same_registration()
    {
        var repeat = Request with
        {
            Locale = null,
            TimeZoneId = null,
            Details = Request.Details with { NeedleDepthMm = 1.50m, PerformedAt = PerformedAt.WithOffset(Offset.FromHours(1)) },
        };

        Assert.Empty(RegistrationComparison.DifferingFields(Stored, repeat));
        Assert.Empty(RegistrationComparison.DifferingFields(Stored with { Details = Stored.Details with { NeedleDepthMm = null } }, repeat with { Details = repeat.Details with { NeedleDepthMm = null } }));
        Assert.Equal(["treatment.needleDepthMm"], RegistrationComparison.DifferingFields(Stored with { Details = Stored.Details with { NeedleDepthMm = null } }, Request));
    }
}
