namespace Aftercare.Core.Delivery;

/// <summary>What one shard work item did: drained the shard (with the dispatcher's counts), or left it to the drain holding its lease.</summary>
public sealed record ShardDrainOutcome(int Shard, bool Drained, DispatchReport? Report, bool LeaseLost)
{
    /// <summary>Another drain holds the shard's lease: nothing was read or sent.</summary>
    public static ShardDrainOutcome Busy(int shard) => new(shard, Drained: false, Report: null, LeaseLost: false);
}
