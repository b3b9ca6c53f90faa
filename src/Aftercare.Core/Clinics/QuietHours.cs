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
    /// An opening in a daylight-saving gap moves forward by the gap (02:30 in a 02:00→03:00 gap is 03:30); in an
    /// overlap the earlier occurrence wins unless it would move back before <paramref name="at"/> (a time already in
    /// the repeated hour), so the answer is never earlier than its input.
    /// </summary>
    public Instant NextOpening(Instant at, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var current = at;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var local = current.InZone(zone).LocalDateTime;
            var opening = NextOpening(local);
            if (opening == local)
            {
                return current;
            }

            var next = zone.ResolveLocal(opening, Resolvers.LenientResolver).ToInstant();
            current = next > current ? next : zone.ResolveLocal(opening, LaterResolver).ToInstant();
        }

        throw new InvalidOperationException("The quiet hours leave no time to send in this zone.");
    }

    private static readonly ZoneLocalMappingResolver LaterResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnForwardShifted);
}
