using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Aftercare.Storage.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions from interpolated strings: every interpolated value becomes a typed,
/// escaped literal, so no caller ever concatenates a raw value into a filter.
/// <code>TableFilter.Create($"PartitionKey eq {pk} and RowKey ge {rk}")</code>
/// </summary>
public static class TableFilter
{
    public static string Create(ref TableFilterInterpolatedStringHandler filter) => filter.ToStringAndClear();

    /// <summary>The one function that turns a value into an OData literal.</summary>
    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "Table storage has no null literal; filter on the property's absence instead."),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => FormatDouble(d),
        DateTimeOffset dto => "datetime'" + TableValueFormat.FormatDateTime(dto) + "'",
        DateTime dt => "datetime'" + TableValueFormat.FormatDateTime(TableValueFormat.ToDateTimeOffset(dt)) + "'",
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be used in a table filter.", nameof(value)),
    };

    private static string FormatDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("NaN and infinities cannot be used in a table filter.", nameof(value));
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}

[InterpolatedStringHandler]
public ref struct TableFilterInterpolatedStringHandler
{
    private readonly StringBuilder _builder;

    public TableFilterInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _ = formattedCount;
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
    }

    public readonly void AppendLiteral(string literal) => _builder.Append(literal);

    public readonly void AppendFormatted<T>(T value) => _builder.Append(TableFilter.Literal(value));

    internal readonly string ToStringAndClear()
    {
        var text = _builder.ToString();
        _builder.Clear();
        return text;
    }
}
