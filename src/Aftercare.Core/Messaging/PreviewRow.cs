using NodaTime;

namespace Aftercare.Core.Messaging;

/// <summary>One text of a previewed timeline: when it would go and what it would say.</summary>
public sealed record PreviewRow(int Sequence, string StageId, LocalDateTime DueLocal, Instant DueAt, Instant ExpiresAt, RenderedSms Message);
