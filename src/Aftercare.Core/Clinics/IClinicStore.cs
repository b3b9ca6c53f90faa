namespace Aftercare.Core.Clinics;

public interface IClinicStore
{
    Task CreateAsync(Clinic clinic, CancellationToken cancellationToken);

    Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored clinic, re-reading and re-applying it if someone else changed the
    /// clinic first. Returns the stored result, or null when there is no such clinic.
    /// </summary>
    Task<Clinic?> UpdateAsync(string clinicId, Func<Clinic, Clinic> change, CancellationToken cancellationToken);
}
