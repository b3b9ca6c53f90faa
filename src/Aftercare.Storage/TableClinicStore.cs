using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// Clinics, one row each (layout in <see cref="ClinicEntities"/>), their webhook secrets sealed with
/// <paramref name="cipher"/>'s active key. Reading a clinic whose secret was sealed with a key the cipher does not hold
/// throws <see cref="InvalidDataException"/> naming the clinic and the key id.
/// </summary>
public sealed class TableClinicStore(AftercareTables tables, SecretCipher cipher) : IClinicStore
{
    private readonly TableSenderDirectory senders = new(tables);

    /// <summary>
    /// Records the clinic's senders in the sender index (one round trip each), then inserts the clinic (one round trip);
    /// an existing id throws <see cref="InvalidOperationException"/> and keeps the first.
    /// </summary>
    public async Task CreateAsync(Clinic clinic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinic);
        await senders.AddAsync(clinic, cancellationToken);
        if (!await tables.Clinics.TryAddAsync(ClinicEntities.ToEntity(clinic, cipher), cancellationToken))
        {
            throw new InvalidOperationException("A clinic with this id exists already.");
        }
    }

    /// <summary>A point read (one round trip); null for an unknown id, or one that no stored clinic could have.</summary>
    public async Task<Clinic?> FindAsync(string clinicId, CancellationToken cancellationToken) =>
        await FindEntityAsync(clinicId, cancellationToken) is { } row ? ClinicEntities.FromEntity(row, cipher) : null;

    /// <summary>
    /// Read, change, conditional replace (two round trips), again from the read whenever someone else changed the clinic
    /// first; a changed sender is added to the sender index before the replace and the old one removed after it.
    /// </summary>
    public async Task<Clinic?> UpdateAsync(string clinicId, Func<Clinic, Clinic> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        while (true)
        {
            if (await FindEntityAsync(clinicId, cancellationToken) is not { } row)
            {
                return null;
            }

            var before = ClinicEntities.FromEntity(row, cipher);
            var changed = change(before);
            if (changed.Id != clinicId)
            {
                throw new InvalidOperationException("A clinic's id cannot change.");
            }

            if (!TableSenderDirectory.SendersOf(changed).SequenceEqual(TableSenderDirectory.SendersOf(before)))
            {
                await senders.AddAsync(changed, cancellationToken);
            }

            if (await tables.Clinics.TryReplaceAsync(ClinicEntities.ToEntity(changed, cipher), row.ETag, cancellationToken) is not null)
            {
                await senders.RemoveStaleAsync(before, changed, cancellationToken);
                return changed;
            }
        }
    }

    /// <summary>
    /// Seals again, with the active key, every clinic secret held in clear (written before secrets were sealed) or sealed
    /// with another key, so the older key can then be removed. Reads the whole clinics table (one round trip a page of
    /// 1000) and writes each such clinic with a conditional replace; a clinic changed meanwhile was sealed by that change.
    /// Returns how many it resealed. Safe to run again.
    /// </summary>
    public async Task<int> ResealSecretsAsync(CancellationToken cancellationToken)
    {
        var resealed = 0;
        await foreach (var row in tables.Clinics.QueryAsync(TableClient.CreateQueryFilter($"RowKey eq {ClinicEntities.RowKey}"), cancellationToken: cancellationToken))
        {
            if (ClinicEntities.NeedsResealing(row, cipher)
                && await tables.Clinics.TryReplaceAsync(ClinicEntities.ToEntity(ClinicEntities.FromEntity(row, cipher), cipher), row.ETag, cancellationToken) is not null)
            {
                resealed++;
            }
        }

        return resealed;
    }

    private Task<TableEntity?> FindEntityAsync(string clinicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        return tables.Clinics.FindAsync(clinicId, ClinicEntities.RowKey, cancellationToken: cancellationToken);
    }
}
