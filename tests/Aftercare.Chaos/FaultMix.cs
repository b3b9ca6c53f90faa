using Aftercare.Testing;

namespace Aftercare.Chaos;

/// <summary>
/// The faults the stand-in picks from, uniformly; a fault listed more often is picked more often. Mostly the faults
/// that test delivery (rate limits, and creates whose answer is lost), with a small share of refusals for good:
/// an unsubscribed number also suppresses the rest of that client's texts, so it stays rare.
/// </summary>
internal static class FaultMix
{
    public static IReadOnlyList<TwilioStandInFault> Weighted { get; } =
    [
        .. Enumerable.Repeat(TwilioStandInFault.RateLimited, 6),
        .. Enumerable.Repeat(TwilioStandInFault.ServerErrorAfterCreate, 6),
        .. Enumerable.Repeat(TwilioStandInFault.HangAfterCreate, 6),
        .. Enumerable.Repeat(TwilioStandInFault.DropBeforeCreate, 6),
        TwilioStandInFault.Unsubscribed,
        TwilioStandInFault.InvalidNumber,
    ];
}
