using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>Reading and writing columns that may be absent (the Table service stores no nulls).</summary>
internal static class EntityColumns
{
    public static void SetIfPresent(this TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    public static void SetIfPresent(this TableEntity entity, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            entity[name] = v;
        }
    }

    public static string Required(this TableEntity entity, string name) =>
        entity.GetString(name) ?? throw Missing(entity, name);

    public static int RequiredInt32(this TableEntity entity, string name) =>
        entity.GetInt32(name) ?? throw Missing(entity, name);

    public static bool RequiredBoolean(this TableEntity entity, string name) =>
        entity.GetBoolean(name) ?? throw Missing(entity, name);

    public static DateTimeOffset RequiredDateTimeOffset(this TableEntity entity, string name) =>
        entity.GetDateTimeOffset(name) ?? throw Missing(entity, name);

    private static InvalidDataException Missing(TableEntity entity, string name) =>
        new($"Stored entity ({entity.PartitionKey}, {entity.RowKey}) has no '{name}' column.");
}
