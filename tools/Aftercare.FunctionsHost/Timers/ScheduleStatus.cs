namespace Aftercare.FunctionsHost.Timers;

/// <summary>
/// A timer's <c>ScheduleStatus</c> as the WebJobs TimerListener keeps it (in memory here, in blob storage in Azure):
/// the last occurrence that ran, the next one, and when the status was last written. All UTC.
/// </summary>
internal sealed record ScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
