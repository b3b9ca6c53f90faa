using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Core.Privacy;

/// <summary>
/// A pointer from a day (UTC) to a treatment whose personal data may be due for erasure then, so the retention sweep
/// reads only what may be due, never the whole history.
/// </summary>
/// <param name="Day">
/// For <see cref="RetentionReason.Settled"/>, a day on or before the one the treatment's last message settled (the
/// registration day, until a sweep has seen it settle); for <see cref="RetentionReason.ErasureRequested"/>, the day to
/// look again.
/// </param>
public sealed record RetentionEntry(RetentionReason Reason, LocalDate Day, string ClinicId, string TreatmentId)
{
    /// <summary>
    /// The entry a new treatment is indexed with: its registration day, the earliest its last message can settle. The
    /// sweep that reads it moves it on to the day the last message did settle, so none is erased more than a day late.
    /// </summary>
    public static RetentionEntry ForNewTreatment(Treatment treatment)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        return new RetentionEntry(RetentionReason.Settled, treatment.RegisteredAt.InUtc().Date, treatment.ClinicId, treatment.TreatmentId);
    }
}

public enum RetentionReason
{
    /// <summary>Erase once the retention period has passed since <see cref="RetentionEntry.Day"/>.</summary>
    Settled,

    /// <summary>The clinic asked for erasure while a text was on its way: finish it once everything has settled.</summary>
    ErasureRequested,
}
