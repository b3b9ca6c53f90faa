using Aftercare.Core.Clinics;
using Aftercare.Storage.Tables;

namespace Aftercare.Storage;

public sealed class TableClinicStore(AftercareTables tables) : IClinicStore
{
    /// <summary>Inserts the clinic; an existing id throws <see cref="TableConflictException"/>.</summary>
    public async Task CreateAsync(Clinic clinic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        await tables.Clinics.AddEntityAsync(ClinicEntities.ToEntity(clinic), cancellationToken);
    }

    public async Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        var rows = tables.Clinics.QueryAsync(
            TableFilter.Create($"PartitionKey eq {clinicId} and RowKey eq {ClinicEntities.RowKey}"), cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            return ClinicEntities.FromEntity(row);
        }

        return null;
    }
}
