using NodaTime;

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
}
