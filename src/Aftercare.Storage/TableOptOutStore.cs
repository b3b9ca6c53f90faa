using Aftercare.Core.Delivery;
using Aftercare.Core.Security;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// Opt-outs: PK = clinic id, RK = the phone's keyed hash (<see cref="PhoneHasher"/>), columns Source and At. No number is
/// stored, so the row outlives a client's erasure and a STOP keeps being honoured.
/// </summary>
public sealed class TableOptOutStore(AftercareTables tables, PhoneHasher phones) : IOptOutStore
{
    private static readonly string[] KeyOnly = ["RowKey"];

    /// <summary>A point read of the key alone (one round trip), on the per-send hot path.</summary>
    public async Task<bool> IsOptedOutAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
        await tables.OptOuts.FindAsync(clinicId, phones.Hash(phone), KeyOnly, cancellationToken) is not null;

    /// <summary>
    /// A key-only query of the clinic's partition ("$select=RowKey"): one round trip per 1000 opted-out numbers, so its cost
    /// grows with the clinic's opt-outs (a few hundred keys is one page of a few kilobytes).
    /// </summary>
    public async Task<OptedOutNumbers> ListOptedOutAsync(string clinicId, CancellationToken cancellationToken)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (TableKeys.IsValid(clinicId))
        {
            await foreach (var row in tables.OptOuts.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {clinicId}"), select: KeyOnly, cancellationToken: cancellationToken))
            {
                keys.Add(row.RowKey);
            }
        }

        return new OptedOutNumbers(keys, phones.Hash);
    }

    /// <summary>One round trip; opting out again replaces the source and time.</summary>
    public async Task OptOutAsync(string clinicId, string phone, string source, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var entity = new TableEntity(clinicId, phones.Hash(phone))
        {
            ["Source"] = source,
            ["At"] = StoredValues.ToStored(at),
        };
        await tables.OptOuts.UpsertAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>One round trip; a number that had not opted out is left as it is.</summary>
    public Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
        tables.OptOuts.DeleteAsync(clinicId, phones.Hash(phone), cancellationToken);
}
