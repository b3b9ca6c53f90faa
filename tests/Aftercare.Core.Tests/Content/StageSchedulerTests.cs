using Aftercare.Core.Clinics;
using Aftercare.Core.Plans;
using Aftercare.Core.Scheduling;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class StageSchedulerTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly QuietHours NoQuietHours = new(LocalTime.Midnight, LocalTime.Midnight);

    [Fact]
    public void A_stage_in_the_spring_forward_gap_moves_forward_by_the_gap()
    {
        // 2026-03-08 in New York: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist.
        var plan = PlanWith(new OnLocalDay(1, new LocalTime(2, 30)));

        var slot = StageScheduler.Schedule(plan, At(NewYork, 2026, 3, 7, 14, 0), NewYork, NoQuietHours)[1];

        Assert.Equal(new LocalDateTime(2026, 3, 8, 3, 30), slot.DueLocal);
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 7, 30), slot.DueAt);
    }

    [Fact]
    public void A_stage_in_the_fall_back_overlap_takes_the_earlier_occurrence()
    {
        // 2026-11-01 in New York: 01:00–02:00 happens twice, first in EDT (-4) then in EST (-5).
        var plan = PlanWith(new OnLocalDay(1, new LocalTime(1, 30)));

        var slot = StageScheduler.Schedule(plan, At(NewYork, 2026, 10, 31, 14, 0), NewYork, NoQuietHours)[1];

        Assert.Equal(new LocalDateTime(2026, 11, 1, 1, 30), slot.DueLocal);
        Assert.Equal(Instant.FromUtc(2026, 11, 1, 5, 30), slot.DueAt);
    }

    [Fact]
    public void Quiet_hours_ending_inside_the_gap_open_after_it()
    {
        var plan = PlanWith(new OnLocalDay(1, new LocalTime(1, 0)));
        var quiet = new QuietHours(new LocalTime(0, 0), new LocalTime(2, 15));

        var slot = StageScheduler.Schedule(plan, At(NewYork, 2026, 3, 7, 14, 0), NewYork, quiet)[1];

        Assert.Equal(new LocalDateTime(2026, 3, 8, 3, 15), slot.DueLocal);
    }

    [Fact]
    public void A_text_held_in_the_repeated_hour_never_moves_back_to_the_first_occurrence()
    {
        // 01:10 EST is the second 01:10 of the night; the quiet window ends at 01:30, which must be 01:30 EST, not the
        // earlier 01:30 EDT (an hour before the treatment).
        var performedAt = Instant.FromUtc(2026, 11, 1, 6, 10);
        var quiet = new QuietHours(new LocalTime(0, 0), new LocalTime(1, 30));

        var slot = StageScheduler.Schedule(PlanWith(new OnLocalDay(2, new LocalTime(10, 0))), performedAt, NewYork, quiet)[0];

        Assert.Equal(Instant.FromUtc(2026, 11, 1, 6, 30), slot.DueAt);
        Assert.Equal(new LocalDateTime(2026, 11, 1, 1, 30), slot.DueLocal);
    }

    [Fact]
    public void The_default_plan_lands_on_its_local_days_across_the_spring_change()
    {
        var plan = ContentTestData.ShippedPlan(PlanIds.Default);

        var slots = StageScheduler.Schedule(plan, At(NewYork, 2026, 3, 6, 15, 0), NewYork, QuietHours.Default);

        Assert.Equal(
            [
                new LocalDateTime(2026, 3, 6, 15, 0),
                new LocalDateTime(2026, 3, 7, 9, 0),
                new LocalDateTime(2026, 3, 9, 10, 0),
                new LocalDateTime(2026, 3, 11, 10, 0),
                new LocalDateTime(2026, 4, 17, 10, 0),
                new LocalDateTime(2026, 5, 1, 10, 0),
            ],
            slots.Select(s => s.DueLocal));
        Assert.Equal([1, 2, 3, 4, 5, 6], slots.Select(s => s.Sequence));
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 14, 0), slots[2].DueAt);
        Assert.Equal(Instant.FromUtc(2026, 3, 7, 14, 0) + Duration.FromHours(48), slots[1].ExpiresAt);
    }

    [Fact]
    public void A_late_treatment_holds_the_welcome_until_morning_keeping_its_freshness_and_the_order()
    {
        var plan = ContentTestData.ShippedPlan(PlanIds.Default);

        var slots = StageScheduler.Schedule(plan, At(NewYork, 2026, 6, 10, 21, 30), NewYork, QuietHours.Default);

        Assert.Equal(new LocalDateTime(2026, 6, 11, 9, 0), slots[0].DueLocal);
        Assert.Equal(slots[0].DueAt + Duration.FromHours(12), slots[0].ExpiresAt);
        Assert.Equal(new LocalDateTime(2026, 6, 11, 9, 0), slots[1].DueLocal);
    }

    [Fact]
    public void A_same_day_quiet_window_holds_a_stage_until_it_ends_that_day()
    {
        var plan = PlanWith(new OnLocalDay(1, new LocalTime(13, 0)));
        var quiet = new QuietHours(new LocalTime(12, 0), new LocalTime(14, 0));

        var slot = StageScheduler.Schedule(plan, At(NewYork, 2026, 6, 10, 9, 0), NewYork, quiet)[1];

        Assert.Equal(new LocalDateTime(2026, 6, 11, 14, 0), slot.DueLocal);
    }

    [Fact]
    public void A_stage_after_the_start_of_an_overnight_window_goes_the_next_morning()
    {
        var plan = PlanWith(new OnLocalDay(1, new LocalTime(22, 0)));

        var slot = StageScheduler.Schedule(plan, At(NewYork, 2026, 6, 10, 9, 0), NewYork, QuietHours.Default)[1];

        Assert.Equal(new LocalDateTime(2026, 6, 12, 9, 0), slot.DueLocal);
    }

    [Fact]
    public void Lord_Howe_half_hour_gap_moves_a_stage_forward_by_thirty_minutes()
    {
        // Lord Howe Island: 2026-10-04 02:00 (+10:30) jumps to 02:30 (+11:00).
        var zone = DateTimeZoneProviders.Tzdb["Australia/Lord_Howe"];
        var plan = PlanWith(new OnLocalDay(1, new LocalTime(2, 15)));

        var slot = StageScheduler.Schedule(plan, At(zone, 2026, 10, 3, 12, 0), zone, NoQuietHours)[1];

        Assert.Equal(new LocalDateTime(2026, 10, 4, 2, 45), slot.DueLocal);
    }

    internal static Plan PlanWith(OnLocalDay day) => new(
        "test",
        "Test",
        [
            Stage("now", new AfterTreatment(Duration.Zero), Duration.FromHours(12)),
            Stage("later", day, Duration.FromHours(48)),
        ]);

    internal static PlanStage Stage(string id, StageTiming timing, Duration freshFor) =>
        new(id, timing, freshFor, new Dictionary<string, string> { ["en"] = "Hi. {clinicName}", ["es"] = "Hola. {clinicName}" }, ["004_6d63dfd62eefdfcb.txt"], false);

    private static Instant At(DateTimeZone zone, int year, int month, int day, int hour, int minute) =>
        zone.AtStrictly(new LocalDateTime(year, month, day, hour, minute)).ToInstant();
}
