using Aftercare.Core.Delivery;
using Aftercare.Storage.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>Opt-outs: PK = clinic id, RK = SHA-256 of the phone (<see cref="PhoneKeys"/>), columns Source and At.</summary>
public sealed class TableOptOutStore(AftercareTables tables) : IOptOutStore
{
    public async Task<bool> IsOptedOutAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        // A point query answers "absent" with an empty page, not a 404 exception, on this per-send hot path.
        var filter = TableFilter.Create($"PartitionKey eq {clinicId} and RowKey eq {PhoneKeys.For(phone)}");
        await foreach (var _ in tables.OptOuts.QueryAsync(filter, columns: ["RowKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        return false;
    }

    public async Task OptOutAsync(string clinicId, string phone, string source, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var entity = new TableEntity(clinicId, PhoneKeys.For(phone))
        {
            ["Source"] = source,
            ["At"] = StoredValues.ToStored(at),
        };
        await tables.OptOuts.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        try
        {
            await tables.OptOuts.DeleteEntityAsync(clinicId, PhoneKeys.For(phone), cancellationToken: cancellationToken);
        }
        catch (TableNotFoundException)
        {
            // Not opted out: nothing to undo.
        }
    }
}
