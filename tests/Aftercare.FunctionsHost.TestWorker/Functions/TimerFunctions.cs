using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.TestWorker.Functions;

/// <summary>Timers whose schedules come from app settings; each run logs marker lines.</summary>
public sealed class TimerFunctions(ILogger<TimerFunctions> logger)
{
    public const string Marker = "tick-fired";
    public const string SlowStart = "slow-tick-start";
    public const string SlowEnd = "slow-tick-end";

    [Function("Tick")]
    public void Tick([TimerTrigger("%TickSchedule%")] TimerInfo timer, FunctionContext context)
    {
        var fired = context.BindingContext.BindingData.TryGetValue("TimerTrigger", out var value) ? value : null;
        logger.LogInformation("{Marker} pastDue={IsPastDue} status={Status} firedAt={FiredAt}", Marker, timer.IsPastDue, JsonSerializer.Serialize(timer.ScheduleStatus), fired);
    }

    /// <summary>Runs longer than its schedule's period when <c>SlowTickSchedule</c> fires every second.</summary>
    [Function("SlowTick")]
    public async Task SlowTick([TimerTrigger("%SlowTickSchedule%")] TimerInfo timer)
    {
        logger.LogInformation(SlowStart);
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        logger.LogInformation(SlowEnd);
    }
}
