using Aftercare.Core.Clinics;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>Clinics, one row each (layout in <see cref="ClinicEntities"/>).</summary>
public sealed class TableClinicStore(AftercareTables tables) : IClinicStore
{
    /// <summary>Inserts the clinic (one round trip); an existing id throws <see cref="InvalidOperationException"/> and keeps the first.</summary>
    public async Task CreateAsync(Clinic clinic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        if (!await tables.Clinics.TryAddAsync(ClinicEntities.ToEntity(clinic), cancellationToken))
        {
            throw new InvalidOperationException("A clinic with this id exists already.");
        }
    }

    /// <summary>A point read (one round trip); null for an unknown id, or one that no stored clinic could have.</summary>
    public async Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken) =>
        await FindEntityAsync(clinicId, cancellationToken) is { } row ? ClinicEntities.FromEntity(row) : null;

    /// <summary>Read, change, conditional replace (two round trips), again from the read whenever someone else changed the clinic first.</summary>
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

            if (await tables.Clinics.TryReplaceAsync(ClinicEntities.ToEntity(changed), row.ETag, cancellationToken) is not null)
            {
                return changed;
            }
        }
    }

    private Task<TableEntity?> FindEntityAsync(string clinicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        return tables.Clinics.FindAsync(clinicId, ClinicEntities.RowKey, cancellationToken: cancellationToken);
    }
}
