using System.Buffers;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The rules for PartitionKey and RowKey values, from Azure's "Understanding the Table service data model"
/// (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model): at most 1 KiB,
/// and none of '/', '\', '#', '?' or the control characters U+0000–U+001F and U+007F–U+009F. Azure.Data.Tables sends
/// such keys as they are; the service then answers 400, or cannot address the entity at all.
/// </summary>
public static class TableKeys
{
    /// <summary>1 KiB of UTF-16: the longest key, in <see cref="string.Length"/> units (chars).</summary>
    public const int MaxLength = 512;

    private static readonly SearchValues<char> Forbidden = SearchValues.Create(
        "/\\#?" + string.Concat(Enumerable.Range(0x00, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)));

    /// <summary>True when <paramref name="key"/> can be stored as a PartitionKey or RowKey. The empty key is valid.</summary>
    public static bool IsValid(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length <= MaxLength && key.AsSpan().IndexOfAny(Forbidden) < 0;
    }

    /// <summary>Throws <see cref="ArgumentException"/> (naming the rule, never echoing the key) unless <paramref name="key"/> is valid.</summary>
    public static void Validate(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"A table key may be at most {MaxLength} characters (1 KiB); this one has {key.Length}.", paramName);
        }

        var at = key.AsSpan().IndexOfAny(Forbidden);
        if (at >= 0)
        {
            throw new ArgumentException(
                $"A table key may not contain '/', '\\', '#', '?' or control characters (found U+{(int)key[at]:X4} at {at}).", paramName);
        }
    }

    /// <summary>Validates both keys of one entity.</summary>
    public static void ValidateKeys(string partitionKey, string rowKey)
    {
        Validate(partitionKey, nameof(partitionKey));
        Validate(rowKey, nameof(rowKey));
    }
}
