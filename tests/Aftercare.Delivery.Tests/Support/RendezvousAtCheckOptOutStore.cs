using Aftercare.Core.Delivery;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real opt-out store, except that each check waits for the other dispatches' checks: the check sits between a
/// dispatch's read of the treatment and its claim, so every dispatch has read before any has sent.
/// </summary>
public sealed class RendezvousAtCheckOptOutStore(IOptOutStore inner, Rendezvous rendezvous) : IOptOutStore
{
    public async Task<bool> IsOptedOutAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        await rendezvous.ArriveAsync(cancellationToken);
        return await inner.IsOptedOutAsync(clinicId, phone, cancellationToken);
    }

    public Task OptOutAsync(string clinicId, string phone, string source, Instant at, CancellationToken cancellationToken) =>
        inner.OptOutAsync(clinicId, phone, source, at, cancellationToken);

    public Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
        inner.OptInAsync(clinicId, phone, cancellationToken);
}
