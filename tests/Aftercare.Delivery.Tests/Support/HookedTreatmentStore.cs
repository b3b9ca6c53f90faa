using Aftercare.Core.Treatments;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real treatment store, with something a test wants to happen right before each of the first
/// <paramref name="hookedCreates"/> treatment creations: that sits between a registration's client-history and index
/// writes and its treatment's transaction, the window a STOP or a concurrent registration can hit.
/// </summary>
public sealed class HookedTreatmentStore(ITreatmentStore inner, Func<Task> beforeCreate, int hookedCreates = 1) : ITreatmentStore
{
    private int _creates;

    public async Task<bool> TryCreateAsync(Treatment treatment, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _creates) <= hookedCreates)
        {
            await beforeCreate();
        }

        return await inner.TryCreateAsync(treatment, messages, cancellationToken);
    }

    public Task<TreatmentRecord?> FindAsync(string clinicId, string treatmentId, CancellationToken cancellationToken) =>
        inner.FindAsync(clinicId, treatmentId, cancellationToken);

    public Task<Versioned<OutboundMessage>?> FindMessageAsync(string clinicId, string treatmentId, string stageId, CancellationToken cancellationToken) =>
        inner.FindMessageAsync(clinicId, treatmentId, stageId, cancellationToken);

    public Task<string?> TryReplaceMessageAsync(string clinicId, string treatmentId, OutboundMessage message, string etag, CancellationToken cancellationToken) =>
        inner.TryReplaceMessageAsync(clinicId, treatmentId, message, etag, cancellationToken);

    public Task<string?> TryReplaceTreatmentAsync(Treatment treatment, string etag, CancellationToken cancellationToken) =>
        inner.TryReplaceTreatmentAsync(treatment, etag, cancellationToken);

    public Task<bool> TryReplaceAllAsync(Versioned<Treatment> treatment, IReadOnlyList<Versioned<OutboundMessage>> messages, CancellationToken cancellationToken) =>
        inner.TryReplaceAllAsync(treatment, messages, cancellationToken);

    public Task<string?> TryClaimMessageAsync(Versioned<Treatment> treatment, OutboundMessage claimed, string messageETag, CancellationToken cancellationToken) =>
        inner.TryClaimMessageAsync(treatment, claimed, messageETag, cancellationToken);
}
