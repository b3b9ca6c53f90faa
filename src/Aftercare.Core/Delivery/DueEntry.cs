using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>A pointer from a due time to one message, so a sweep reads only what is due.</summary>
public sealed record DueEntry(Instant DueAt, string ClinicId, string TreatmentId, string StageId);
