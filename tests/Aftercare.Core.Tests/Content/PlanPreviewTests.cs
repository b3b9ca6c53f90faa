using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class PlanPreviewTests
{
    private static readonly DateTimeZone Madrid = DateTimeZoneProviders.Tzdb["Europe/Madrid"];

    [Fact]
    public void The_default_plan_previews_one_row_per_stage_in_order_with_times_and_texts()
    {
        var plan = ContentTestData.ShippedPlan(PlanIds.Default);
        var performedAt = Madrid.AtStrictly(new LocalDateTime(2026, 5, 4, 16, 30)).ToInstant();
        var context = new MessageContext("es-ES", "Lucía", ContentTestData.Clinic(name: "Clínica Sol", bookingUrl: "https://sol.example/reservar", contactPhone: "+34910000000"));

        var rows = PlanPreview.Build(plan, performedAt, Madrid, QuietHours.Default, context);

        Assert.Equal(plan.Stages.Select(s => s.Id), rows.Select(r => r.StageId));
        Assert.Equal([1, 2, 3, 4, 5, 6], rows.Select(r => r.Sequence));
        Assert.Equal(
            [
                new LocalDateTime(2026, 5, 4, 16, 30),
                new LocalDateTime(2026, 5, 5, 9, 0),
                new LocalDateTime(2026, 5, 7, 10, 0),
                new LocalDateTime(2026, 5, 9, 10, 0),
                new LocalDateTime(2026, 6, 15, 10, 0),
                new LocalDateTime(2026, 6, 29, 10, 0),
            ],
            rows.Select(r => r.DueLocal));
        Assert.Equal(Instant.FromUtc(2026, 5, 5, 7, 0), rows[1].DueAt);
        Assert.Equal(rows[1].DueAt + Duration.FromHours(48), rows[1].ExpiresAt);
        Assert.All(rows, r => Assert.Equal("es", r.Message.Locale));
        Assert.All(rows, r => Assert.Equal(SmsEncoding.Gsm7, r.Message.Encoding));
        Assert.All(rows, r => Assert.InRange(r.Message.Segments, 1, 2));
        Assert.All(rows, r => Assert.EndsWith("Clinica Sol", r.Message.Text, StringComparison.Ordinal));
        Assert.StartsWith("Hola Lucia, gracias", rows[0].Message.Text, StringComparison.Ordinal);
        Assert.Contains("Responde STOP", rows[0].Message.Text, StringComparison.Ordinal);
        Assert.Contains("https://sol.example/reservar", rows[4].Message.Text, StringComparison.Ordinal);
    }
}
