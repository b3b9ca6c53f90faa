using Aftercare.Core.Clinics;
using Aftercare.Core.Plans;
using Aftercare.Core.Scheduling;
using NodaTime;

namespace Aftercare.Core.Messaging;

/// <summary>The timeline a client would receive for a plan, for the preview endpoint and the CLI.</summary>
public static class PlanPreview
{
    public static IReadOnlyList<PreviewRow> Build(Plan plan, Instant performedAt, DateTimeZone zone, QuietHours quietHours, MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return StageScheduler.Schedule(plan, performedAt, zone, quietHours)
            .Select(slot => new PreviewRow(
                slot.Sequence,
                slot.Stage.Id,
                slot.DueLocal,
                slot.DueAt,
                slot.ExpiresAt,
                MessageRenderer.Render(slot.Stage, context)))
            .ToList();
    }
}
