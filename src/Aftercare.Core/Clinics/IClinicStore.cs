namespace Aftercare.Core.Clinics;

public interface IClinicStore
{
    Task CreateAsync(Clinic clinic, CancellationToken cancellationToken);

    Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken);
}
