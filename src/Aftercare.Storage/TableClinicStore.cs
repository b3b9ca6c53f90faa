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

    public async Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken) =>
        await FindEntityAsync(clinicId, cancellationToken) is { } row ? ClinicEntities.FromEntity(row) : null;

    public async Task<Clinic?> UpdateAsync(string clinicId, Func<Clinic, Clinic> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            if (await FindEntityAsync(clinicId, cancellationToken) is not { } row)
            {
                return null;
            }

            var changed = change(ClinicEntities.FromEntity(row));
            if (changed.Id != clinicId)
            {
                throw new InvalidOperationException("A clinic's id cannot change.");
            }

            try
            {
                await tables.Clinics.UpdateEntityAsync(ClinicEntities.ToEntity(changed), row.ETag, TableUpdateMode.Replace, cancellationToken);
                return changed;
            }
            catch (TablePreconditionFailedException)
            {
                // Changed since we read it: apply the change again to the new version.
            }
        }
    }

    /// <summary>A one-key query rather than a point read, so a missing clinic is null rather than an exception.</summary>
    private async Task<TableEntity?> FindEntityAsync(string clinicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        var rows = tables.Clinics.QueryAsync(
            TableFilter.Create($"PartitionKey eq {clinicId} and RowKey eq {ClinicEntities.RowKey}"), cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            return row;
        }

        return null;
    }
}
