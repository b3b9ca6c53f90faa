using Aftercare.Core.Delivery;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The dispatch timer fans out instead of sending: each tick queues one <see cref="ShardWorkItem"/> per due-index shard
/// (<c>Aftercare__Dispatch__Shards</c>, default 16) on <see cref="DispatchQueue"/>, and <see cref="DrainShardFunction"/>
/// drains them on as many instances as the queue scales to. Azure runs one instance of a timer per app (a blob lease),
/// so the timer itself stays this cheap. Its schedule is the app setting <c>Aftercare__Dispatch__Schedule</c>
/// (six-field NCrontab, UTC; every minute is <c>0 */1 * * * *</c>). Before fanning out it moves entries of the older
/// index layout into their shards (<see cref="DispatchFanOut"/>).
/// </summary>
internal sealed class DispatchFunction(DispatchFanOut fanOut, ILogger<DispatchFunction> logger)
{
    public const string Name = "DispatchDueMessages";

    [Function(Name)]
    [QueueOutput(DispatchQueue.Name)]
    public async Task<ShardWorkItem[]> RunAsync([TimerTrigger("%Aftercare:Dispatch:Schedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (timer?.IsPastDue == true)
        {
            logger.LogInformation("The dispatch timer is running late");
        }

        return [.. (await fanOut.ShardsToDrainAsync(cancellationToken)).Select(shard => new ShardWorkItem(shard))];
    }
}
