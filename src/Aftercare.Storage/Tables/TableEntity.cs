using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Aftercare.Storage.Tables;

/// <summary>
/// One table entity: its keys, its concurrency token and a bag of typed properties. Only the types the Table
/// service stores are accepted (string, bool, int, long, double, DateTimeOffset, Guid, byte[]), so a value
/// round-trips as the type it was written with.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "Named like Azure.Data.Tables' TableEntity, which it stands in for.")]
public sealed class TableEntity : IDictionary<string, object>, IReadOnlyDictionary<string, object>
{
    public const string PartitionKeyName = "PartitionKey";
    public const string RowKeyName = "RowKey";
    public const string TimestampName = "Timestamp";

    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity()
        : this(string.Empty, string.Empty)
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    /// <summary>Set by the service; sent as If-Match by conditional updates that are given no explicit ETag.</summary>
    public ETag ETag { get; set; }

    /// <summary>Set by the service; never written.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public int Count => _properties.Count;

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object> Values => _properties.Values;

    IEnumerable<string> IReadOnlyDictionary<string, object>.Keys => _properties.Keys;

    IEnumerable<object> IReadOnlyDictionary<string, object>.Values => _properties.Values;

    bool ICollection<KeyValuePair<string, object>>.IsReadOnly => false;

    public object this[string key]
    {
        get => _properties[key];
        set => _properties[CheckName(key)] = CheckValue(value);
    }

    public void Add(string key, object value) => _properties.Add(CheckName(key), CheckValue(value));

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Remove(string key) => _properties.Remove(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value) => _properties.TryGetValue(key, out value);

    public void Clear() => _properties.Clear();

    public string? GetString(string key) => Get<string>(key);

    public bool? GetBoolean(string key) => GetStruct<bool>(key);

    public int? GetInt32(string key) => GetStruct<int>(key);

    /// <summary>An Edm.Int64, or an Edm.Int32 widened.</summary>
    public long? GetInt64(string key) => TryGetValue(key, out var value) && value is int i ? i : GetStruct<long>(key);

    public double? GetDouble(string key) => GetStruct<double>(key);

    public DateTimeOffset? GetDateTimeOffset(string key) => GetStruct<DateTimeOffset>(key);

    public Guid? GetGuid(string key) => GetStruct<Guid>(key);

    public byte[]? GetBinary(string key) => Get<byte[]>(key);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, object>>.Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object>>.Contains(KeyValuePair<string, object> item) =>
        ((ICollection<KeyValuePair<string, object>>)_properties).Contains(item);

    void ICollection<KeyValuePair<string, object>>.CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object>>)_properties).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object>>.Remove(KeyValuePair<string, object> item) =>
        ((ICollection<KeyValuePair<string, object>>)_properties).Remove(item);

    private T? Get<T>(string key)
        where T : class
    {
        if (!_properties.TryGetValue(key, out var value))
        {
            return null;
        }

        return value as T ?? throw WrongType(key, value, typeof(T));
    }

    private T? GetStruct<T>(string key)
        where T : struct
    {
        if (!_properties.TryGetValue(key, out var value))
        {
            return null;
        }

        return value is T typed ? typed : throw WrongType(key, value, typeof(T));
    }

    private static InvalidOperationException WrongType(string key, object value, Type wanted) =>
        new($"Property '{key}' holds a {value.GetType().Name}, not a {wanted.Name}.");

    private static string CheckName(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key is PartitionKeyName or RowKeyName or TimestampName || key.StartsWith("odata.", StringComparison.Ordinal) || key.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is a system property; use the entity's own members for it.", nameof(key));
        }

        return key;
    }

    private static object CheckValue(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            string or bool or int or long or double or DateTimeOffset or Guid or byte[] => value,
            DateTime dt => TableValueFormat.ToDateTimeOffset(dt),
            _ => throw new ArgumentException($"A {value.GetType().Name} cannot be stored in a table entity.", nameof(value)),
        };
    }
}
