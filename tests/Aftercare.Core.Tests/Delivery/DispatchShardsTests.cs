using Aftercare.Core.Delivery;
using Xunit;

namespace Aftercare.Core.Tests.Delivery;

public sealed class DispatchShardsTests
{
    [Fact]
    public void A_treatment_keeps_its_shard_across_processes_and_releases()
    {
        // Pinned (computed independently with Python's hashlib): a change here moves stored entries to shards no drain reads.
        Assert.Equal(8, DispatchShards.Of("t-0001", 16));
        Assert.Equal(5, DispatchShards.Of("clinic-a|0f3b", 16));
        Assert.Equal(0, DispatchShards.Of("anything", 1));
    }

    [Fact]
    public void Ten_thousand_treatments_spread_over_sixteen_shards_within_a_fifth_of_even()
    {
        var counts = new int[DispatchShards.DefaultCount];
        for (var i = 0; i < 10_000; i++)
        {
            counts[DispatchShards.Of($"treatment-{i:D5}", DispatchShards.DefaultCount)]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 500, 750));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public void A_count_outside_one_to_999_is_refused(int count) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DispatchShards.Of("t", count));
}
