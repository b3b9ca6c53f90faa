using Aftercare.Core.Delivery;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// The dispatch timer fans out instead of sending: each tick queues one <see cref="ShardWorkItem"/> per due-index shard
/// (<c>Aftercare__Dispatch__Shards</c>, default 16) on <see cref="DispatchQueue"/>, and <see cref="DrainShardFunction"/>
/// drains them on as many instances as the queue scales to. Azure runs one instance of a timer per app (a blob lease),
/// so the timer itself stays this cheap. Its schedule is the app setting <c>Aftercare__Dispatch__Schedule</c>
/// (six-field NCrontab, UTC; every minute is <c>0 */1 * * * *</c>).
/// </summary>
internal sealed class DispatchFunction(DispatchOptions options, ILogger<DispatchFunction> logger)
{
    public const string Name = "DispatchDueMessages";

    [Function(Name)]
    [QueueOutput(DispatchQueue.Name)]
    public ShardWorkItem[] Run([TimerTrigger("%Aftercare:Dispatch:Schedule%")] TimerInfo timer)
    {
        if (timer?.IsPastDue == true)
        {
            logger.LogInformation("The dispatch timer is running late");
        }

        return [.. Enumerable.Range(0, options.Shards).Select(shard => new ShardWorkItem(shard))];
    }
}
