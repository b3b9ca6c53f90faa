using NodaTime;
using NodaTime.TimeZones;

namespace Aftercare.Core.Clinics;

/// <summary>
/// The local hours in which no text may be sent: from <see cref="Start"/> (inclusive) to <see cref="End"/>
/// (exclusive), crossing midnight when Start is later than End. The default, 20:00 to 09:00, leaves 09:00–20:00
/// as the sending window.
/// </summary>
public sealed record QuietHours(LocalTime Start, LocalTime End)
{
    public static QuietHours Default { get; } = new(new LocalTime(20, 0), new LocalTime(9, 0));

    /// <summary>True when the window is empty (start equals end): texts may go at any hour.</summary>
    public bool IsNone => Start == End;

    public bool Contains(LocalTime time)
    {
        if (IsNone)
        {
            return false;
        }

        return Start < End
            ? time >= Start && time < End
            : time >= Start || time < End;
    }

    /// <summary>The first local time at or after <paramref name="local"/> that is outside quiet hours.</summary>
    public LocalDateTime NextOpening(LocalDateTime local)
    {
        if (!Contains(local.TimeOfDay))
        {
            return local;
        }

        var date = local.TimeOfDay < End ? local.Date : local.Date.PlusDays(1);
        return date.At(End);
    }

    /// <summary>
    /// The first instant at or after <paramref name="at"/> that is outside quiet hours in <paramref name="zone"/>.
    /// An opening that falls in a daylight-saving gap moves forward by the gap; in an overlap the earlier one wins.
    /// </summary>
    public Instant NextOpening(Instant at, DateTimeZone zone)
    {
        var local = at.InZone(zone).LocalDateTime;
        var opening = NextOpening(local);
        return opening == local ? at : zone.ResolveLocal(opening, Resolvers.LenientResolver).ToInstant();
    }
}
