namespace Aftercare.Core.Treatments;

/// <summary>Treatments and their messages, each treatment in one partition.</summary>
public interface ITreatmentStore
{
    /// <summary>Writes the treatment and all its messages atomically. False when the treatment already exists (nothing is written).</summary>
    Task<bool> TryCreateAsync(Treatment treatment, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken);

    Task<TreatmentRecord?> FindAsync(string clinicId, string treatmentId, CancellationToken cancellationToken);

    Task<Versioned<OutboundMessage>?> FindMessageAsync(string clinicId, string treatmentId, string stageId, CancellationToken cancellationToken);

    /// <summary>Replaces the message if its ETag still matches. Returns the new ETag, or null when someone else changed it first.</summary>
    Task<string?> TryReplaceMessageAsync(string clinicId, string treatmentId, OutboundMessage message, string etag, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a message: replaces it with <paramref name="claimed"/> if it still has <paramref name="messageETag"/>, and
    /// in the same atomic write touches the treatment row if it still has <paramref name="treatment"/>'s ETag, so a
    /// cancellation, an erasure or any other change of the treatment since it was read fails the claim. Returns the
    /// message's new ETag, or null when either had changed (nothing is written). The treatment row's ETag changes.
    /// </summary>
    Task<string?> TryClaimMessageAsync(Versioned<Treatment> treatment, OutboundMessage claimed, string messageETag, CancellationToken cancellationToken);

    /// <summary>Replaces the treatment if its ETag still matches. Returns the new ETag, or null when someone else changed it first.</summary>
    Task<string?> TryReplaceTreatmentAsync(Treatment treatment, string etag, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the treatment and the given messages of its partition atomically, each only if it still has the ETag it
    /// was read with (<see cref="Versioned{T}.ETag"/>): all are written, or none when any changed first (false).
    /// </summary>
    Task<bool> TryReplaceAllAsync(Versioned<Treatment> treatment, IReadOnlyList<Versioned<OutboundMessage>> messages, CancellationToken cancellationToken);
}

public sealed record TreatmentRecord(Versioned<Treatment> Treatment, IReadOnlyList<Versioned<OutboundMessage>> Messages);
