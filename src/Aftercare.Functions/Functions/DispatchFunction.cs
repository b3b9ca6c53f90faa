using Aftercare.Core.Delivery;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The dispatch timer: sends whatever is due. Its schedule is the app setting <c>Aftercare__Dispatch__Schedule</c>
/// (six-field NCrontab, UTC; every minute is <c>0 */1 * * * *</c>). Azure runs one instance of a timer per app (a blob
/// lease); the dispatcher's ETag claims keep texts single even when sweeps overlap.
/// </summary>
internal sealed class DispatchFunction(MessageDispatcher dispatcher, ILogger<DispatchFunction> logger)
{
    public const string Name = "DispatchDueMessages";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%Aftercare:Dispatch:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer?.IsPastDue == true)
        {
            logger.LogInformation("The dispatch timer is running late");
        }

        await dispatcher.DispatchDueAsync(cancellationToken);
    }
}
