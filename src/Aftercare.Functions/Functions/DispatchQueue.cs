namespace Aftercare.Functions.Functions;

/// <summary>
/// The Azure Storage queue of the dispatch fan-out, in the app's own storage account (the host's
/// <c>AzureWebJobsStorage</c> connection; with a managed identity, its <c>__queueServiceUri</c>). It holds one
/// <see cref="ShardWorkItem"/> per due-index shard per timer tick; its length is what Flex Consumption scales
/// <see cref="DrainShardFunction"/> on (target-based scaling: instances = queue length ÷ host.json
/// <c>extensions.queues.batchSize</c>).
/// </summary>
internal static class DispatchQueue
{
    /// <summary>The queue's name; its poison queue is <c>aftercare-dispatch-poison</c>.</summary>
    public const string Name = "aftercare-dispatch";
}
