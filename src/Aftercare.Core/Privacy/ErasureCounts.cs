namespace Aftercare.Core.Privacy;

/// <summary>What an erasure erased: treatments whose name and phone are gone, message texts gone, and pending messages it cancelled.</summary>
public readonly record struct ErasureCounts(int Treatments, int Messages, int CancelledMessages)
{
    public static ErasureCounts operator +(ErasureCounts left, ErasureCounts right) =>
        new(left.Treatments + right.Treatments, left.Messages + right.Messages, left.CancelledMessages + right.CancelledMessages);

    public static ErasureCounts Add(ErasureCounts left, ErasureCounts right) => left + right;
}
