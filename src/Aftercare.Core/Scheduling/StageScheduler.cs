using Aftercare.Core.Clinics;
using Aftercare.Core.Plans;
using NodaTime;
using NodaTime.TimeZones;

namespace Aftercare.Core.Scheduling;

/// <summary>
/// Places a plan's stages in time for one treatment, in the client's zone.
/// </summary>
/// <remarks>
/// <para>Intended time: an offset stage is the treatment instant plus its offset; a day-N stage is the treatment's
/// local date plus N days at the stage's local time. A local time that does not exist (spring-forward gap) moves
/// forward by the gap's length (02:30 in a 02:00→03:00 gap becomes 03:30); one that exists twice (fall-back overlap)
/// takes the earlier occurrence. That is NodaTime's lenient resolver.</para>
/// <para>Due time: the intended time moved out of quiet hours to the window's end (resolved the same way), and never
/// before the previous stage's due time, so texts arrive in plan order.</para>
/// <para>Day guarantee: a day-N stage whose time is outside quiet hours is due on exactly that local date and time
/// (unless that time is in a gap, where it moves forward by the gap). A stage inside quiet hours is due at the
/// window's end: the same date when the window ends later that day, the next date when the window crosses midnight
/// and the stage's time is after its start.</para>
/// <para>Expiry: the stage's freshness counts from its intended time, but a text held by quiet hours or by the
/// stage before it keeps its full freshness from its due time — a welcome held overnight would otherwise go stale
/// before it could ever be sent. So <c>ExpiresAt = max(intended, due) + freshFor = due + freshFor</c>.</para>
/// </remarks>
public static class StageScheduler
{
    public static IReadOnlyList<StageSlot> Schedule(Plan plan, Instant performedAt, DateTimeZone zone, QuietHours quietHours)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(quietHours);

        var treatmentDate = performedAt.InZone(zone).Date;
        var slots = new List<StageSlot>(plan.Stages.Count);
        Instant? previousDue = null;
        for (var i = 0; i < plan.Stages.Count; i++)
        {
            var stage = plan.Stages[i];
            var intended = IntendedInstant(stage.Timing, performedAt, treatmentDate, zone);
            var due = quietHours.NextOpening(intended, zone);
            if (previousDue is { } previous && previous > due)
            {
                due = previous;
            }

            slots.Add(new StageSlot(stage, i + 1, due, due.InZone(zone).LocalDateTime, due + stage.FreshFor));
            previousDue = due;
        }

        return slots;
    }

    /// <summary>When the stage would go with no quiet hours.</summary>
    public static Instant IntendedInstant(StageTiming timing, Instant performedAt, LocalDate treatmentDate, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return timing switch
        {
            AfterTreatment after => performedAt + after.Offset,
            OnLocalDay day => Resolve(treatmentDate.PlusDays(day.Day).At(day.Time), zone),
            _ => throw new ArgumentOutOfRangeException(nameof(timing), timing, "unknown stage timing"),
        };
    }

    private static Instant Resolve(LocalDateTime local, DateTimeZone zone) =>
        zone.ResolveLocal(local, Resolvers.LenientResolver).ToInstant();
}
