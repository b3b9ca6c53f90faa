using NCrontab;

namespace Aftercare.FunctionsHost.Timers;

/// <summary>
/// A timer's schedule, parsed as the WebJobs timer extension's TimerSchedule.Create does: an NCrontab expression
/// (6 fields with seconds, or 5 without), else a TimeSpan (a constant interval). Times are UTC.
/// </summary>
internal abstract class TimerSchedule
{
    /// <summary>True when runs can be a minute or less apart: then the real host keeps no schedule status (UseMonitor off).</summary>
    public abstract bool IsFrequent { get; }

    /// <exception cref="FormatException">The expression is neither a cron expression nor a TimeSpan.</exception>
    public static TimerSchedule Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var cron = CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields.Length == 6 });
        if (cron is not null)
        {
            return new Cron(cron, fields.Skip(fields.Length == 6 ? 1 : 0).All(f => f == "*"));
        }

        if (TimeSpan.TryParse(expression, System.Globalization.CultureInfo.InvariantCulture, out var period) && period > TimeSpan.Zero)
        {
            return new Constant(period);
        }

        throw new FormatException($"'{expression}' is neither an NCrontab expression nor a TimeSpan.");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public abstract DateTimeOffset GetNextOccurrence(DateTimeOffset after);

    private sealed class Cron(CrontabSchedule schedule, bool everyMinuteOrMore) : TimerSchedule
    {
        public override bool IsFrequent => everyMinuteOrMore;

        public override DateTimeOffset GetNextOccurrence(DateTimeOffset after) =>
            new(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

        public override string ToString() => schedule.ToString();
    }

    private sealed class Constant(TimeSpan period) : TimerSchedule
    {
        public override bool IsFrequent => period <= TimeSpan.FromMinutes(1);

        public override DateTimeOffset GetNextOccurrence(DateTimeOffset after) => after + period;

        public override string ToString() => period.ToString();
    }
}
