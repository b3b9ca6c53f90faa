using Aftercare.FunctionsHost.Invocation;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Timers;

/// <summary>
/// Fires one timer function on its schedule, one run at a time, as the WebJobs TimerListener does: it waits for the
/// next occurrence, runs the function to the end, then computes the next occurrence from the clock, so ticks that
/// fall during a run are skipped (Azure's timer is also a singleton across instances).
/// </summary>
internal sealed class TimerListener(string functionName, TimerSchedule schedule, bool useMonitor, FunctionInvoker invoker, TimeProvider clock, ILogger logger)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        var keepsStatus = useMonitor && !schedule.IsFrequent;
        ScheduleStatus? status = null;
        logger.LogInformation("Timer '{FunctionName}' runs on '{Schedule}' (UTC); next at {Next:o}.", functionName, schedule, schedule.GetNextOccurrence(clock.GetUtcNow()));
        while (!stopping.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = schedule.GetNextOccurrence(now);
            status ??= keepsStatus ? new ScheduleStatus(DateTimeOffset.MinValue, next, DateTimeOffset.MinValue) : null;
            try
            {
                await Task.Delay(next - now, clock, stopping);
                var result = await invoker.InvokeAsync(functionName, null, $"Timer fired at {clock.GetUtcNow():o}", status, stopping);
                if (!result.Succeeded)
                {
                    logger.LogWarning("Timer '{FunctionName}' run {InvocationId} failed.", functionName, result.InvocationId);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ArgumentException ex)
            {
                // The worker that came back after a restart no longer has this function.
                logger.LogError("Timer '{FunctionName}' stopped: {Error}", functionName, ex.Message);
                return;
            }

            status = keepsStatus ? new ScheduleStatus(next, schedule.GetNextOccurrence(next), next) : null;
        }
    }
}
