using System.Text.RegularExpressions;
using Aftercare.Core.Phones;
using NodaTime;
using NodaTime.Text;

namespace Aftercare.Functions.Http;

/// <summary>Collects field → messages for an RFC 9457 validation problem, with the checks the contracts share.</summary>
internal sealed partial class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public string? Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Required.");
            return null;
        }

        return Optional(field, value, maxLength);
    }

    public string? Optional(string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        value = value.Trim();
        if (value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
            return null;
        }

        if (value.Any(char.IsControl))
        {
            Add(field, "Must not contain control characters.");
            return null;
        }

        return value;
    }

    /// <summary>
    /// The canonical E.164 form of a phone number (<see cref="CanonicalPhone"/>), or null with the reason added. A national
    /// number is read in <paramref name="region"/> (the clinic's); without one only international numbers are accepted.
    /// </summary>
    public string? Phone(string field, string? value, PhoneUse use, string? region = null, bool required = true)
    {
        if (value is null && !required)
        {
            return null;
        }

        var result = CanonicalPhone.Parse(value, use, region);
        if (!result.IsAccepted)
        {
            Add(field, result.Refusal);
            return null;
        }

        return result.E164;
    }

    public string? TimeZone(string field, string? value, bool required = true)
    {
        if (value is null && !required)
        {
            return null;
        }

        if (value is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(value) is null)
        {
            Add(field, "An IANA time zone id is required, e.g. Europe/London.");
            return null;
        }

        return value;
    }

    /// <summary>One of <paramref name="supported"/>, exactly (e.g. "en"); anything else is refused with the list.</summary>
    public string? Locale(string field, string? value, IReadOnlyList<string> supported, bool required = true)
    {
        if (value is null && !required)
        {
            return null;
        }

        if (value is null || !supported.Contains(value, StringComparer.Ordinal))
        {
            Add(field, "Supported locales: " + string.Join(", ", supported) + ".");
            return null;
        }

        return value;
    }

    /// <summary>An ISO 8601 timestamp with an offset (NodaTime's extended ISO pattern) inside <paramref name="range"/>.</summary>
    public OffsetDateTime? Timestamp(string field, string? value, TimestampRange range)
    {
        var result = value is null ? null : OffsetDateTimePattern.ExtendedIso.Parse(value);
        if (result is null || !result.Success)
        {
            Add(field, "An ISO 8601 timestamp with an offset is required, e.g. 2026-11-21T14:30:00+01:00.");
            return null;
        }

        if (!range.Contains(result.Value))
        {
            Add(field, $"Must be {range.Description}.");
            return null;
        }

        return result.Value;
    }

    public LocalTime? TimeOfDay(string field, string? value)
    {
        var result = value is null ? null : LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(value);
        if (result is null || !result.Success)
        {
            Add(field, "A local time HH:mm is required, e.g. 20:00.");
            return null;
        }

        return result.Value;
    }

    public Uri? AbsoluteUrl(string field, string? value, int maxLength, bool required = true)
    {
        if (value is null && !required)
        {
            return null;
        }

        if (value is null || value.Length > maxLength || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            Add(field, $"An absolute https URL of at most {maxLength} characters is required.");
            return null;
        }

        return uri;
    }

    public string? MessagingServiceSid(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!ServiceSid().IsMatch(value))
        {
            Add(field, "A Twilio messaging service SID is MG followed by 32 hex characters.");
            return null;
        }

        return value;
    }

    [GeneratedRegex(@"\AMG[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceSid();
}
