using System.Globalization;
using System.Text.Json;
using Azure;

namespace Aftercare.Storage.Tables;

/// <summary>
/// The JSON form of an entity. Types JSON cannot tell apart (Int64, DateTime, Guid, Binary, Double) carry an
/// <c>@odata.type</c> annotation both ways, so every value reads back as the type it was written with.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, entity);
        }

        return stream.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString(TableEntity.PartitionKeyName, entity.PartitionKey);
        writer.WriteString(TableEntity.RowKeyName, entity.RowKey);
        foreach (var (name, value) in entity)
        {
            switch (value)
            {
                case string s:
                    writer.WriteString(name, s);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    writer.WriteString(name + TypeSuffix, "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    writer.WriteString(name + TypeSuffix, "Edm.Double");
                    WriteDouble(writer, name, d);
                    break;
                case DateTimeOffset dto:
                    writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                    writer.WriteString(name, TableValueFormat.FormatDateTime(dto));
                    break;
                case Guid g:
                    writer.WriteString(name + TypeSuffix, "Edm.Guid");
                    writer.WriteString(name, g.ToString("D"));
                    break;
                case byte[] bytes:
                    writer.WriteString(name + TypeSuffix, "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                default:
                    throw new InvalidOperationException($"Property '{name}' has unsupported type {value.GetType().Name}.");
            }
        }

        writer.WriteEndObject();
    }

    public static TableEntity Read(JsonElement json)
    {
        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            switch (name)
            {
                case TableEntity.PartitionKeyName:
                    entity.PartitionKey = property.Value.GetString() ?? string.Empty;
                    continue;
                case TableEntity.RowKeyName:
                    entity.RowKey = property.Value.GetString() ?? string.Empty;
                    continue;
                case TableEntity.TimestampName:
                    entity.Timestamp = TableValueFormat.ParseDateTime(property.Value.GetString()!);
                    continue;
                case "odata.etag":
                    entity.ETag = new ETag(property.Value.GetString()!);
                    continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal) || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var type = json.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
            entity[name] = ReadValue(property.Value, type);
        }

        return entity;
    }

    private static object ReadValue(JsonElement value, string? edmType) => edmType switch
    {
        "Edm.Int64" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Double" => ReadDouble(value),
        "Edm.DateTime" => TableValueFormat.ParseDateTime(value.GetString()!),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        "Edm.Int32" => value.ValueKind == JsonValueKind.String
            ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : value.GetInt32(),
        "Edm.Boolean" => value.GetBoolean(),
        "Edm.String" or null => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => ReadUntypedNumber(value),
            _ => throw new FormatException($"Unexpected JSON {value.ValueKind} in a table entity."),
        },
        _ => throw new FormatException($"Unknown EDM type '{edmType}'."),
    };

    // Without an annotation the service means Int32 for a whole number and Double for anything with a point or exponent.
    private static object ReadUntypedNumber(JsonElement value)
    {
        var raw = value.GetRawText();
        var looksDouble = raw.AsSpan().IndexOfAny(".eE") >= 0;
        return !looksDouble && value.TryGetInt32(out var i) ? i : (object)value.GetDouble();
    }

    private static double ReadDouble(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" or "INF" => double.PositiveInfinity,
            "-Infinity" or "-INF" => double.NegativeInfinity,
            var text => double.Parse(text!, CultureInfo.InvariantCulture),
        }
        : value.GetDouble();

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteString(name, "NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            writer.WriteString(name, "Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            writer.WriteString(name, "-Infinity");
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }
}
