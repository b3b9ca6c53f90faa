using Aftercare.Core.Treatments;

namespace Aftercare.Chaos;

/// <summary>What storage and the Twilio stand-in hold once the run is over, checked against each other.</summary>
internal sealed record ChaosVerdict
{
    /// <summary>Count per stored status; a seeded message missing from storage counts as "missing".</summary>
    public required IReadOnlyDictionary<string, int> Statuses { get; init; }

    /// <summary>Extra creates at the stand-in: for each body, the number of creates minus one.</summary>
    public required int Duplicates { get; init; }

    public required int NotSettled { get; init; }

    /// <summary>Recorded sent, but the stand-in never created the text.</summary>
    public required int SentNeverCreated { get; init; }

    /// <summary>Created at the stand-in, but not recorded sent (failed, suppressed, anything else, or no such message).</summary>
    public required int CreatedNotRecordedSent { get; init; }

    /// <summary>Recorded sent with a provider id other than the SID the stand-in gave the text.</summary>
    public required int WrongProviderId { get; init; }

    /// <summary>Messages claimed more than once: a kill, a lost answer or a deferral made some dispatcher take them over.</summary>
    public required int ClaimedMoreThanOnce { get; init; }

    /// <summary>Settled without being sent, and no reason recorded.</summary>
    public required int MissingReason { get; init; }

    /// <summary>Messages whose text on record is neither the seeded text nor the seeded text with the opt-out line.</summary>
    public required int TextsAltered { get; init; }

    /// <summary>Treatment and stage of each message with a problem (ids only; never a number or a text).</summary>
    public required IReadOnlyList<string> Examples { get; init; }

    public int Lost => NotSettled + SentNeverCreated + CreatedNotRecordedSent;

    public int Count(MessageStatus status) => Statuses.GetValueOrDefault(status.ToWire());
}
