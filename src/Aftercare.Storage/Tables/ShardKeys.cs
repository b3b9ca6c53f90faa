using System.Globalization;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The PartitionKey of a due-index shard: "s" and the shard number in three digits ("s000" to "s998"). Every shard key
/// sorts after the legacy minute partitions ("yyyyMMddHHmm", digits only), so a range over either never meets the other.
/// </summary>
public static class ShardKeys
{
    /// <summary>The prefix every shard partition key starts with.</summary>
    public const string Prefix = "s";

    /// <summary>The partition key of <paramref name="shard"/> (0 to 998).</summary>
    public static string PartitionKey(int shard)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(shard);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shard, 998);
        return Prefix + shard.ToString("D3", CultureInfo.InvariantCulture);
    }
}
