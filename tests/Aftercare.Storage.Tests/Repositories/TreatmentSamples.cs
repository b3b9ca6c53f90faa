using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

internal static class TreatmentSamples
{
    public static Treatment Treatment(string clinicId = "cl_0123456789abcdef0123", string externalId = "ext-1") => new()
    {
        ClinicId = clinicId,
        TreatmentId = TreatmentIds.For(clinicId, externalId + Guid.NewGuid()),
        ExternalId = externalId,
        Client = new ClientDetails("Zoë", "+14155550100", "en", "America/New_York"),
        Details = new TreatmentDetails(
            "microneedling", "Dermapen 4", 1.50m, "face",
            new OffsetDateTime(new LocalDateTime(2026, 3, 8, 1, 30, 15).PlusNanoseconds(123_456_789), Offset.FromHoursAndMinutes(-5, -30))),
        Consent = new SmsConsent(true, new OffsetDateTime(new LocalDateTime(2026, 3, 8, 1, 0), Offset.FromHours(-5)), "form"),
        PlanId = "microneedling-default",
        Status = TreatmentStatus.Active,
        RegisteredAt = Instant.FromUtc(2026, 3, 8, 6, 31, 0),
    };

    public static OutboundMessage Message(int sequence, string stageId) => new()
    {
        StageId = stageId,
        Sequence = sequence,
        DueAt = Instant.FromUtc(2026, 3, 8, 14, 0).Plus(Duration.FromDays(sequence)),
        DueLocal = new LocalDateTime(2026, 3, 8, 9, 0).PlusDays(sequence),
        ExpiresAt = Instant.FromUtc(2026, 3, 9, 14, 0).Plus(Duration.FromDays(sequence)),
        Body = $"Hi Zoë, stage {stageId} 😀 — reply STOP to opt out",
        Encoding = SmsEncoding.Ucs2,
        Segments = 2,
        CancelOnRebook = sequence > 5,
        Status = MessageStatus.Scheduled,
    };
}
