using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.TestWorker.Functions;

/// <summary>A timer whose schedule comes from the app setting <c>TickSchedule</c>; each run logs a marker line.</summary>
public sealed class TimerFunctions(ILogger<TimerFunctions> logger)
{
    public const string Marker = "tick-fired";

    [Function("Tick")]
    public void Tick([TimerTrigger("%TickSchedule%")] TimerInfo timer, FunctionContext context)
    {
        var fired = context.BindingContext.BindingData.TryGetValue("TimerTrigger", out var value) ? value : null;
        logger.LogInformation("{Marker} pastDue={IsPastDue} status={Status} firedAt={FiredAt}", Marker, timer.IsPastDue, JsonSerializer.Serialize(timer.ScheduleStatus), fired);
    }
}
