namespace Aftercare.Core.Delivery;

/// <summary>
/// What one tick of the dispatch timer fans out: every shard up to the highest count ever recorded
/// (<see cref="IDueIndex.ShardCountAsync"/>, so lowering <see cref="DispatchOptions.Shards"/> strands nothing), after
/// moving entries of the older index layout into their shards (one empty read once none are left).
/// </summary>
public sealed class DispatchFanOut(MessageDispatcher dispatcher, IDueIndex dueIndex, DispatchOptions options)
{
    /// <summary>The shards to drain, 0 to the recorded count − 1. Two or three table round trips.</summary>
    public async Task<IReadOnlyList<int>> ShardsToDrainAsync(CancellationToken cancellationToken)
    {
        await dispatcher.MoveLegacyEntriesAsync(cancellationToken);
        var count = await dueIndex.ShardCountAsync(options.Shards, cancellationToken);
        return [.. Enumerable.Range(0, count)];
    }
}
