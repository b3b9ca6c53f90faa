using Aftercare.Core.Delivery;
using Microsoft.Extensions.Options;

namespace Aftercare.Functions.Hosting;

/// <summary>
/// Outside the Functions host (a local run, a container) nothing fires the timer function, so this calls the same
/// dispatcher on the same schedule. Several replicas may run it at once: claims keep each message to one sender.
/// </summary>
internal sealed class InProcessDispatchScheduler(
    MessageDispatcher dispatcher,
    IOptions<AftercareOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<InProcessDispatchScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!(options.Value.Dispatch.RunInProcess ?? !AftercareApplication.IsUnderFunctionsHost(configuration)))
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.Dispatch.IntervalSeconds));
        logger.LogInformation("In-process dispatch every {IntervalSeconds} s", interval.TotalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "A dispatch sweep failed; the next one retries");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
