using System.Text.RegularExpressions;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The rules Azure enforces on an entity's properties, which Azure.Data.Tables does not check and Azurite (where every
/// test runs) does not all enforce. From Azure's "Understanding the Table service data model"
/// (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model): at most 252
/// properties besides PartitionKey, RowKey and Timestamp; names that are C# identifiers of at most 255 characters;
/// strings of at most 64 KiB of UTF-16 (32 Ki chars); binary values of at most 64 KiB; DateTime values from
/// 1601-01-01T00:00Z; at most 1 MiB of data per entity. Only the types the service stores are accepted: the SDK would
/// write a <see cref="decimal"/>, say, as an Edm.Double and read it back as one.
/// </summary>
public static partial class EntityRules
{
    public const int MaxCustomProperties = 252;

    public const int MaxPropertyNameLength = 255;

    /// <summary>64 KiB of UTF-16, in chars.</summary>
    public const int MaxStringLength = 32 * 1024;

    /// <summary>In bytes.</summary>
    public const int MaxBinaryLength = 64 * 1024;

    /// <summary>In bytes, as <see cref="Size"/> counts them.</summary>
    public const int MaxEntitySize = 1024 * 1024;

    /// <summary>The earliest DateTime the service stores.</summary>
    public static readonly DateTimeOffset MinDateTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Throws <see cref="ArgumentException"/>, naming the property and the rule but never the value, unless the keys
    /// (<see cref="TableKeys"/>) and every property of <paramref name="entity"/> can be stored. Null values are skipped:
    /// the service stores no nulls.
    /// </summary>
    public static void Validate(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.ValidateKeys(entity.PartitionKey, entity.RowKey);
        if (Problem(entity) is { } problem)
        {
            throw new ArgumentException(problem, nameof(entity));
        }
    }

    /// <summary>
    /// The entity's size in bytes by the Azure Storage team's formula ("How the size of an entity is calculated in
    /// Windows Azure table storage", https://learn.microsoft.com/archive/blogs/avkashchauhan/how-the-size-of-an-entity-is-caclulated-in-windows-azure-table-storage):
    /// 4 + 2 × (key chars) + for each property 8 + 2 × (name chars) + its value (string: 4 + 2 × chars; binary: 4 +
    /// bytes; DateTime, Double, Int64: 8; Guid: 16; Int32: 4; Boolean: 1).
    /// </summary>
    public static long Size(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        long size = 4 + (2L * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in entity)
        {
            if (!IsSystemProperty(name) && value is not null)
            {
                size += 8 + (2L * name.Length) + ValueSize(value);
            }
        }

        return size;
    }

    private static string? Problem(TableEntity entity)
    {
        var custom = 0;
        foreach (var (name, value) in entity)
        {
            if (IsSystemProperty(name) || value is null)
            {
                continue;
            }

            if (++custom > MaxCustomProperties)
            {
                return $"An entity may have at most {MaxCustomProperties} properties besides PartitionKey, RowKey and Timestamp.";
            }

            if (!PropertyName().IsMatch(name))
            {
                return $"Property name '{name}' is not a C# identifier of at most {MaxPropertyNameLength} characters.";
            }

            if (Problem(name, value) is { } problem)
            {
                return problem;
            }
        }

        var size = Size(entity);
        return size > MaxEntitySize ? $"The entity holds {size} bytes of data; at most {MaxEntitySize} (1 MiB) are stored." : null;
    }

    private static string? Problem(string name, object value) => value switch
    {
        string text when text.Length > MaxStringLength =>
            $"Property '{name}' holds {text.Length} characters; a string may hold at most {MaxStringLength} (64 KiB of UTF-16).",
        byte[] bytes when bytes.Length > MaxBinaryLength =>
            $"Property '{name}' holds {bytes.Length} bytes; a binary value may hold at most {MaxBinaryLength} (64 KiB).",
        BinaryData data when data.ToMemory().Length > MaxBinaryLength =>
            $"Property '{name}' holds {data.ToMemory().Length} bytes; a binary value may hold at most {MaxBinaryLength} (64 KiB).",
        DateTimeOffset at when at < MinDateTime => TooEarly(name),
        DateTime at when (at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at) < MinDateTime.UtcDateTime => TooEarly(name),
        string or byte[] or BinaryData or bool or int or long or double or Guid or DateTimeOffset or DateTime => null,
        _ => $"Property '{name}' holds a {value.GetType().Name}, which the Table service has no type for.",
    };

    private static string TooEarly(string name) => $"Property '{name}' holds a date before 1601-01-01T00:00Z, the earliest the service stores.";

    private static long ValueSize(object value) => value switch
    {
        string text => 4 + (2L * text.Length),
        byte[] bytes => 4 + bytes.Length,
        BinaryData data => 4 + data.ToMemory().Length,
        bool => 1,
        int => 4,
        Guid => 16,
        _ => 8,
    };

    private static bool IsSystemProperty(string name) =>
        name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal);

    // A C# identifier: a letter or underscore, then letters, digits, connectors, combining and formatting marks.
    [GeneratedRegex(@"^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\p{Cf}]{0,254}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyName();
}
