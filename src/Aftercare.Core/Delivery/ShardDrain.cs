namespace Aftercare.Core.Delivery;

/// <summary>
/// Drains one due-index shard for one work item of the dispatch fan-out: takes the shard's lease (or leaves the shard
/// to the drain that holds it), renews it while <see cref="MessageDispatcher.DrainShardAsync"/> works until nothing is
/// due or <see cref="DispatchOptions.DrainTime"/> has passed, and gives it back. A lost lease (not renewed for a whole
/// <see cref="DispatchOptions.ShardLeaseTime"/>, e.g. storage was unreachable) cancels the drain: another instance may
/// own the shard by then, and the message claims keep any overlap from sending twice.
/// </summary>
public sealed class ShardDrain(MessageDispatcher dispatcher, IShardLeases leases, DispatchOptions options, TimeProvider time)
{
    /// <summary>Drains <paramref name="shard"/> (0 to <see cref="DispatchShards.MaxCount"/> − 1, else <see cref="ArgumentOutOfRangeException"/>).</summary>
    public async Task<ShardDrainOutcome> RunAsync(int shard, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, DispatchShards.MaxCount);

        var owner = Guid.NewGuid().ToString("N");
        var start = time.GetCurrentInstant();
        var lease = await leases.TryAcquireAsync(shard, owner, start, start + options.ShardLeaseTime, cancellationToken);
        if (lease is null)
        {
            return ShardDrainOutcome.Busy(shard);
        }

        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopRenewing = new CancellationTokenSource();
        var renewal = KeepRenewingAsync(lease, drain, stopRenewing.Token);
        try
        {
            var report = await dispatcher.DrainShardAsync(shard, start + options.DrainTime, drain.Token);
            return new ShardDrainOutcome(shard, Drained: true, report, LeaseLost: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ShardDrainOutcome(shard, Drained: false, Report: null, LeaseLost: true);
        }
        finally
        {
            await stopRenewing.CancelAsync();
            var held = await renewal;
            if (held is not null)
            {
                await leases.ReleaseAsync(held, time.GetCurrentInstant(), CancellationToken.None);
            }
        }
    }

    /// <summary>Renews every third of the lease time; returns the lease last held, or null once it is lost (after cancelling the drain).</summary>
    private async Task<ShardLease?> KeepRenewingAsync(ShardLease lease, CancellationTokenSource drain, CancellationToken stop)
    {
        var interval = (options.ShardLeaseTime / 3).ToTimeSpan();
        while (true)
        {
            try
            {
                await Task.Delay(interval, time, stop);
            }
            catch (OperationCanceledException)
            {
                return lease;
            }

            ShardLease? renewed;
            try
            {
                renewed = await leases.TryRenewAsync(lease, time.GetCurrentInstant() + options.ShardLeaseTime, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return lease;
            }
            catch (Exception) when (time.GetCurrentInstant() < lease.Until)
            {
                continue; // Storage hiccup: the lease still runs; try again at the next interval.
            }
            catch (Exception)
            {
                renewed = null; // Unreachable past the lease's end: count it lost.
            }

            if (renewed is null)
            {
                await drain.CancelAsync();
                return null;
            }

            lease = renewed;
        }
    }
}
