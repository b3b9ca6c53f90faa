using Aftercare.Core.Clinics;
using Microsoft.Extensions.Caching.Memory;

namespace Aftercare.Functions.Clinics;

/// <summary>
/// The clinic look-up of signed clinic requests, read through an in-process cache for <paramref name="timeToLive"/>
/// (app setting <c>Aftercare__Clinics__CacheSeconds</c>, default 30; 0 reads the table every time), so a clinic's
/// registrations cost no clinic read. Unknown ids are not cached. Every write through this store (create, PATCH, secret
/// rotation) drops the entry in this process at once; other instances keep theirs until it expires, so for up to the
/// time to live there: a rotated-to secret is refused and the rotated-away one still accepted (even after a rotation
/// with no grace period), and a changed quiet-hours window or locale still shapes new registrations' schedules and
/// texts. The dispatcher reads clinics without this cache, so quiet hours are always checked fresh at send time.
/// Expiry follows the cache's own clock (<see cref="MemoryCache"/>), not the app's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class CachedClinicStore(IClinicStore inner, IMemoryCache cache, TimeSpan timeToLive) : IClinicStore
{
    private long _generation;

    /// <summary>Creates the clinic (see <see cref="IClinicStore.CreateAsync"/>) and drops any cached entry for its id.</summary>
    public async Task CreateAsync(Clinic clinic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        try
        {
            await inner.CreateAsync(clinic, cancellationToken);
        }
        finally
        {
            Invalidate(clinic.Id);
        }
    }

    /// <summary>The cached clinic, or the stored one (then cached unless a write in this process began meanwhile).</summary>
    public async Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        if (timeToLive <= TimeSpan.Zero)
        {
            return await inner.FindAsync(clinicId, cancellationToken);
        }

        if (cache.TryGetValue(Key(clinicId), out Clinic? cached) && cached is not null)
        {
            return cached;
        }

        var generation = Interlocked.Read(ref _generation);
        var clinic = await inner.FindAsync(clinicId, cancellationToken);

        // A write that began while this read was under way may have been read before it landed: keep that read uncached.
        if (clinic is not null && Interlocked.Read(ref _generation) == generation)
        {
            cache.Set(Key(clinicId), clinic, timeToLive);
        }

        return clinic;
    }

    /// <summary>Updates the clinic (see <see cref="IClinicStore.UpdateAsync"/>) and drops any cached entry for it, before and after.</summary>
    public async Task<Clinic?> UpdateAsync(string clinicId, Func<Clinic, Clinic> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        Invalidate(clinicId);
        try
        {
            return await inner.UpdateAsync(clinicId, change, cancellationToken);
        }
        finally
        {
            Invalidate(clinicId);
        }
    }

    private static string Key(string clinicId) => "clinic:" + clinicId;

    private void Invalidate(string clinicId)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(Key(clinicId));
    }
}
