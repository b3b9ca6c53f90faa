using Aftercare.Core.Delivery;
using Aftercare.Core.Security;
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
