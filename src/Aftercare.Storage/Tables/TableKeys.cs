namespace Aftercare.Storage.Tables;

/// <summary>The one place PartitionKey and RowKey values are checked before they reach a URL, a body or a filter.</summary>
public static class TableKeys
{
    /// <summary>1 KiB of UTF-16, the service's limit for a key.</summary>
    public const int MaxLength = 512;

    public static void Validate(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"A table key may be at most {MaxLength} characters (1 KiB); this one has {key.Length}.", paramName);
        }

        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                throw new ArgumentException(
                    $"A table key may not contain '/', '\\', '#', '?' or control characters (found U+{(int)c:X4}).", paramName);
            }
        }
    }

    public static void ValidateKeys(string partitionKey, string rowKey)
    {
        Validate(partitionKey, nameof(partitionKey));
        Validate(rowKey, nameof(rowKey));
    }
}
