using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Aftercare.Core.Delivery;

/// <summary>
/// Which shard of the due index a treatment belongs to. Every index row of one treatment lives in its shard, so a
/// treatment's entries are written in one entity-group transaction and one shard's due range is one contiguous range
/// scan. The hash is SHA-256 of the treatment id's UTF-8 bytes (stable across processes, runtimes and restarts, unlike
/// <see cref="string.GetHashCode()"/>), its first four bytes read as a little-endian unsigned integer, modulo the count.
/// </summary>
public static class DispatchShards
{
    /// <summary>The shard count when <c>Aftercare__Dispatch__Shards</c> is not set.</summary>
    public const int DefaultCount = 16;

    /// <summary>The most shards allowed: three decimal digits in the partition key.</summary>
    public const int MaxCount = 999;

    /// <summary>
    /// The shard, 0 to <paramref name="count"/> − 1, of <paramref name="treatmentId"/>.
    /// Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="count"/> is not 1 to <see cref="MaxCount"/>.
    /// </summary>
    public static int Of(string treatmentId, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(treatmentId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(treatmentId), hash);
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) % (uint)count);
    }
}
