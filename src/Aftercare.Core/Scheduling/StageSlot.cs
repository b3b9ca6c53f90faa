using Aftercare.Core.Plans;
using NodaTime;

namespace Aftercare.Core.Scheduling;

/// <summary>Where one stage lands for one treatment: its due instant (out of quiet hours), its local time, and when it goes stale.</summary>
public sealed record StageSlot(PlanStage Stage, int Sequence, Instant DueAt, LocalDateTime DueLocal, Instant ExpiresAt);
