using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Aftercare.Storage;

/// <summary>How domain values become table columns and back: one place, so every repository writes them alike.</summary>
internal static class StoredValues
{
    private static readonly LocalDateTimePattern LocalDateTimeFormat = LocalDateTimePattern.ExtendedIso;
    private static readonly OffsetDateTimePattern OffsetDateTimeFormat = OffsetDateTimePattern.ExtendedIso;
    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH':'mm");

    public static DateTimeOffset ToStored(Instant instant) => instant.ToDateTimeOffset();

    public static Instant ToInstant(DateTimeOffset value) => Instant.FromDateTimeOffset(value);

    public static Instant? ToInstant(DateTimeOffset? value) => value is { } v ? Instant.FromDateTimeOffset(v) : null;

    /// <summary>"yyyy-MM-ddTHH:mm:ss", with a fraction only when there is one.</summary>
    public static string ToStored(LocalDateTime value) => LocalDateTimeFormat.Format(value);

    public static LocalDateTime ToLocalDateTime(string text) => LocalDateTimeFormat.Parse(text).GetValueOrThrow();

    public static string ToStored(OffsetDateTime value) => OffsetDateTimeFormat.Format(value);

    public static OffsetDateTime ToOffsetDateTime(string text) => OffsetDateTimeFormat.Parse(text).GetValueOrThrow();

    public static string ToStored(LocalTime value) => HourMinute.Format(value);

    public static LocalTime ToLocalTime(string text) => HourMinute.Parse(text).GetValueOrThrow();

    /// <summary>Invariant text keeps the decimal's exact value and scale ("1.50" stays 1.50).</summary>
    public static string ToStored(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal ToDecimal(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static TEnum ToEnum<TEnum>(string text)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(text, ignoreCase: false);
}
