using Aftercare.Core.Delivery;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Functions;

/// <summary>
/// Drains one due-index shard per queue message (<see cref="ShardDrain"/>): sends what is due in it until nothing is or
/// <c>Aftercare__Dispatch__DrainSeconds</c> have passed, under the shard's lease so two instances never drain one shard
/// at once. A message for a shard another drain holds completes at once. A drain that throws is retried by the host
/// (host.json <c>extensions.queues</c>: <c>visibilityTimeout</c> apart, <c>maxDequeueCount</c> times, then the poison
/// queue); nothing is lost either way, since the next tick queues every shard again.
/// </summary>
internal sealed class DrainShardFunction(ShardDrain drain, ILogger<DrainShardFunction> logger)
{
    public const string Name = "DrainDispatchShard";

    [Function(Name)]
    public async Task RunAsync([QueueTrigger(DispatchQueue.Name)] ShardWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var outcome = await drain.RunAsync(item.Shard, cancellationToken);
        if (outcome.LeaseLost)
        {
            logger.LogWarning("Shard {Shard}: its lease was lost, so the drain stopped", item.Shard);
        }
        else if (!outcome.Drained)
        {
            logger.LogInformation("Shard {Shard}: another drain holds it", item.Shard);
        }
    }
}
