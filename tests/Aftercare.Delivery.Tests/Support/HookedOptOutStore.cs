using Aftercare.Core.Delivery;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real opt-out store, with something a test wants to happen the first time the dispatcher reads a clinic's
/// opt-outs: a page reads them at its first check of a number, which sits between the dispatcher's read of the
/// treatment and its claim, the window a concurrent change can hit.
/// </summary>
public sealed class HookedOptOutStore(IOptOutStore inner, Func<Task> beforeFirstCheck) : IOptOutStore
{
    private int _checks;

    public async Task<OptedOutNumbers> ListOptedOutAsync(string clinicId, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _checks) == 1)
        {
            await beforeFirstCheck();
        }

        return await inner.ListOptedOutAsync(clinicId, cancellationToken);
    }

    public Task OptOutAsync(string clinicId, string phone, string source, Instant at, CancellationToken cancellationToken) =>
        inner.OptOutAsync(clinicId, phone, source, at, cancellationToken);

    public Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
        inner.OptInAsync(clinicId, phone, cancellationToken);
}
