using Aftercare.Core.Delivery;
using Aftercare.Core.Security;
using Aftercare.Storage.Tables;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// Opt-outs: PK = clinic id, RK = the phone's keyed hash (<see cref="PhoneHasher"/>), columns Source and At. No number is
/// stored, so the row outlives a client's erasure and a STOP keeps being honoured. Every opt-out and opt-in is noted in
/// the client's history too (<see cref="TableClientHistory"/>, column OptedOutAt), so a registration learns it from the
/// history read it makes anyway; this table stays the truth the dispatcher checks at send time.
/// </summary>
public sealed class TableOptOutStore(AftercareTables tables, PhoneHasher phones) : IOptOutStore
{
    private readonly TableClientHistory _history = new(tables, phones);

    private static readonly string[] KeyOnly = ["RowKey"];

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

    /// <summary>
    /// Two round trips: the opt-out (opting out again replaces the source and time), then its note in the history. A crash
    /// in between leaves a registration unaware of it, and the send-time check suppresses what it schedules.
    /// </summary>
    public async Task OptOutAsync(string clinicId, string phone, string source, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var phoneHash = phones.Hash(phone);
        var entity = new TableEntity(clinicId, phoneHash)
        {
            ["Source"] = source,
            ["At"] = StoredValues.ToStored(at),
        };
        await tables.OptOuts.UpsertAsync(entity, TableUpdateMode.Replace, cancellationToken);
        await _history.RecordOptedOutAsync(clinicId, phoneHash, StoredValues.ToStored(at), cancellationToken);
    }

    /// <summary>
    /// The history's note goes first (see <see cref="TableClientHistory"/>; one or two round trips), then the opt-out (one):
    /// a crash in between leaves the number opted out, never the other way round. A number that had not opted out is left
    /// as it is.
    /// </summary>
    public async Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken)
    {
        var phoneHash = phones.Hash(phone);
        await _history.RecordOptedInAsync(clinicId, phoneHash, cancellationToken);
        await tables.OptOuts.DeleteAsync(clinicId, phoneHash, cancellationToken);
    }
}
