using NodaTime;

namespace Aftercare.Functions.Http;

/// <summary>
/// The instants a timestamp field may name (both ends inclusive), and how an error says so. Every date field of the API
/// has one: nothing about a treatment predates <see cref="Floor"/>, and without a floor a year-1 date reached storage
/// (Azure Table Storage refuses <c>Edm.DateTime</c> values before 1601) or a year-0 date failed with a 500.
/// </summary>
internal sealed record TimestampRange(Instant Earliest, Instant Latest, string Description)
{
    /// <summary>2000-01-01T00:00:00Z, the earliest instant any date field may name.</summary>
    public static Instant Floor { get; } = Instant.FromUtc(2000, 1, 1, 0, 0);

    /// <summary>From <see cref="Floor"/> to <paramref name="now"/> plus <paramref name="skew"/> (a clinic's clock may run a little ahead).</summary>
    public static TimestampRange UpToNow(Instant now, Duration skew) =>
        new(Floor, now + skew, $"from 2000-01-01T00:00:00Z up to now (at most {skew.TotalMinutes:0} minutes ahead, for clock skew)");

    /// <summary>True when <paramref name="at"/> is in the range; a date too far out to be an instant at all is not.</summary>
    public bool Contains(OffsetDateTime at) =>
        at.Year is > 1 and < 9999 && at.ToInstant() >= Earliest && at.ToInstant() <= Latest;
}
