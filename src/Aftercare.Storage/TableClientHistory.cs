using System.Text.Json;
using Aftercare.Core.Delivery;
using Aftercare.Core.Privacy;
using Aftercare.Core.Security;
using Aftercare.Storage.Tables;
using Azure;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// Per clinic and client (PK = clinic id, RK = the phone's keyed hash, <see cref="PhoneHasher"/>): the client's treatment
/// ids as a JSON array, oldest first; the totals of earlier erasures (columns ErasedTreatments, ErasedMessages,
/// CancelledMessages, absent until an erasure); and TextedAt, when a text from the clinic to the number was last recorded
/// as accepted (absent: none yet, or none since an erasure); and OptedOutAt, when the number opted out of the clinic's
/// texts (absent: it has not, or opted in again; written by <see cref="TableOptOutStore"/>, whose own table stays the
/// truth the dispatcher checks at send time). Every change of the ids is ETag-conditional and retried, so concurrent
/// registrations never lose one, and an opt-out landing between a registration's read and write fails the write and is
/// seen by the re-read; TextedAt is merged in unconditionally and carried through every change except an erasure, after
/// which the next text carries the opt-out line again; OptedOutAt is carried through every change, erasure included.
/// </summary>
public sealed class TableClientHistory(AftercareTables tables, PhoneHasher phones) : IClientHistory
{
    /// <summary>
    /// Treatment ids kept per client: as many as fit a string column (32 Ki chars, 38 a id). Beyond it the oldest is
    /// dropped, and only the retention sweep still finds that treatment.
    /// </summary>
    public const int MaxKept = 800;

    /// <summary>Earlier treatments a registration is told about: far more than can still have a pending rebooking prompt.</summary>
    public const int MaxReturned = 20;

    private const string Column = "TreatmentIds";
    private const string TextedAtColumn = "TextedAt";
    private const string OptedOutAtColumn = "OptedOutAt";
    private const int MaxAttempts = 100;

    /// <summary>
    /// A point read and a write (two round trips), again from the read whenever a concurrent write came first; after
    /// <c>100</c> lost races it gives up with a <see cref="RequestFailedException"/> (409, TooMuchContention). A treatment
    /// recorded already (a retried registration) costs the read alone and answers as the first time did, with what is
    /// known of texts now.
    /// </summary>
    public async Task<ClientHistory> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(treatmentId);
        var rowKey = phones.Hash(phone);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await tables.ClientHistory.FindAsync(clinicId, rowKey, cancellationToken: cancellationToken);
            var ids = current is null ? [] : Ids(current);
            var textedAt = current?.GetDateTimeOffset(TextedAtColumn);
            var optedOut = current?.GetDateTimeOffset(OptedOutAtColumn) is not null;
            var position = ids.IndexOf(treatmentId);
            if (position >= 0)
            {
                // Recorded already (a retried registration): answer as the first time did.
                return new ClientHistory(Latest(ids[..position]), textedAt is not null) { OptedOut = optedOut, AlreadyRecorded = true };
            }

            var updated = Entity(clinicId, rowKey, [.. ids.Append(treatmentId).TakeLast(MaxKept)], current is null ? default : Erased(current), textedAt);
            CarryOptOut(current, updated);
            if (await WriteAsync(updated, current, cancellationToken))
            {
                return new ClientHistory(Latest(ids), textedAt is not null) { OptedOut = optedOut };
            }

            // Another registration for this client, or a text's record, came first: read the result and append again.
        }

        throw Contention("record a treatment");
    }

    /// <summary>One round trip: an unconditional merge of TextedAt, creating the row if there is none.</summary>
    public Task RecordTextedAsync(string clinicId, string phone, Instant at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(clinicId, phones.Hash(phone)) { [TextedAtColumn] = StoredValues.ToStored(at) };
        return tables.ClientHistory.UpsertAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// A transaction of unconditional TextedAt merges per 100 numbers (the clinic is one partition): one round trip for a
    /// page's first texts at one clinic, where one write each cost a round trip each.
    /// </summary>
    public async Task RecordTextedAsync(string clinicId, IReadOnlyCollection<string> numbers, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var rows = numbers
            .Select(phones.Hash)
            .Distinct(StringComparer.Ordinal)
            .Select(key => new TableEntity(clinicId, key) { [TextedAtColumn] = StoredValues.ToStored(at) });
        foreach (var batch in rows.Chunk(TransactionRules.MaxActions))
        {
            if (batch.Length == 1)
            {
                await tables.ClientHistory.UpsertAsync(batch[0], TableUpdateMode.Merge, cancellationToken);
            }
            else
            {
                await tables.ClientHistory.SubmitAsync([.. batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, e))], cancellationToken);
            }
        }
    }

    /// <summary>
    /// A point read (one round trip). A row holding neither treatments nor erasure totals (only an opt-out's or a text's
    /// note) is a client the clinic holds nothing of: null, as for no row.
    /// </summary>
    public async Task<ClientTreatments?> FindAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
        await tables.ClientHistory.FindAsync(clinicId, phones.Hash(phone), cancellationToken: cancellationToken) is { } row
        && new ClientTreatments(Ids(row), Erased(row), row.ETag.ToString()) is var found
        && (found.TreatmentIds.Count > 0 || found.Erased != default)
            ? found
            : null;

    /// <summary>A point read and a conditional replace (two round trips; the read alone when the ETag is stale already).</summary>
    public async Task<bool> TryMarkErasedAsync(string clinicId, string phone, ErasureCounts erased, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var rowKey = phones.Hash(phone);

        // Read to carry the opt-out through the erasure: a STOP must outlive it.
        var current = await tables.ClientHistory.FindAsync(clinicId, rowKey, cancellationToken: cancellationToken);
        if (current is null || current.ETag != new ETag(etag))
        {
            return false;
        }

        var updated = Entity(clinicId, rowKey, [], erased);
        CarryOptOut(current, updated);
        return await tables.ClientHistory.TryReplaceAsync(updated, current.ETag, cancellationToken) is not null;
    }

    /// <summary>
    /// Notes the opt-out in the history (one round trip: an unconditional merge, creating the row if there is none).
    /// Called by <see cref="TableOptOutStore"/>, and by the backfill for opt-outs recorded before the column existed.
    /// </summary>
    internal Task RecordOptedOutAsync(string clinicId, string phoneHash, DateTimeOffset at, CancellationToken cancellationToken) =>
        tables.ClientHistory.UpsertAsync(new TableEntity(clinicId, phoneHash) { [OptedOutAtColumn] = at }, TableUpdateMode.Merge, cancellationToken);

    /// <summary>
    /// Removes the opt-out note (a read and a conditional replace, or delete of a row that held nothing else: two round
    /// trips, again whenever a concurrent change came first; one when there is no note).
    /// </summary>
    internal async Task RecordOptedInAsync(string clinicId, string phoneHash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await tables.ClientHistory.FindAsync(clinicId, phoneHash, cancellationToken: cancellationToken);
            if (current?.GetDateTimeOffset(OptedOutAtColumn) is null)
            {
                return;
            }

            var updated = new TableEntity(clinicId, phoneHash);
            foreach (var (name, value) in current.Where(c => !IsSystemColumn(c.Key) && c.Key != OptedOutAtColumn))
            {
                updated[name] = value;
            }

            var done = updated.Keys.All(IsSystemColumn)
                ? await tables.ClientHistory.TryDeleteAsync(clinicId, phoneHash, current.ETag, cancellationToken)
                : await tables.ClientHistory.TryReplaceAsync(updated, current.ETag, cancellationToken) is not null;
            if (done)
            {
                return;
            }
        }

        throw Contention("record an opt-in");
    }

    /// <summary>A read and a write or delete (two round trips), again whenever a registration wrote first; nothing to forget is one.</summary>
    public async Task ForgetAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken)
    {
        var rowKey = phones.Hash(phone);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await tables.ClientHistory.FindAsync(clinicId, rowKey, cancellationToken: cancellationToken);
            var ids = current is null ? [] : Ids(current);
            if (!ids.Remove(treatmentId))
            {
                return;
            }

            var erased = Erased(current!);
            var updated = Entity(clinicId, rowKey, ids, erased, current!.GetDateTimeOffset(TextedAtColumn));
            CarryOptOut(current, updated);
            var done = ids.Count == 0 && erased == default && !updated.ContainsKey(OptedOutAtColumn)
                ? await tables.ClientHistory.TryDeleteAsync(clinicId, rowKey, current!.ETag, cancellationToken)
                : await tables.ClientHistory.TryReplaceAsync(updated, current!.ETag, cancellationToken) is not null;
            if (done)
            {
                return;
            }
        }

        throw Contention("forget a treatment");
    }

    private async Task<bool> WriteAsync(TableEntity updated, TableEntity? current, CancellationToken cancellationToken) =>
        current is null
            ? await tables.ClientHistory.TryAddAsync(updated, cancellationToken)
            : await tables.ClientHistory.TryReplaceAsync(updated, current.ETag, cancellationToken) is not null;

    private static void CarryOptOut(TableEntity? current, TableEntity updated)
    {
        if (current?.GetDateTimeOffset(OptedOutAtColumn) is { } optedOutAt)
        {
            updated[OptedOutAtColumn] = optedOutAt;
        }
    }

    private static bool IsSystemColumn(string name) =>
        name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag";

    private static List<string> Latest(List<string> ids) => ids.Count > MaxReturned ? ids[^MaxReturned..] : ids;

    private static TableEntity Entity(string clinicId, string rowKey, List<string> ids, ErasureCounts erased, DateTimeOffset? textedAt = null)
    {
        var entity = new TableEntity(clinicId, rowKey) { [Column] = JsonSerializer.Serialize(ids) };
        if (textedAt is not null)
        {
            entity[TextedAtColumn] = textedAt;
        }

        if (erased != default)
        {
            entity["ErasedTreatments"] = erased.Treatments;
            entity["ErasedMessages"] = erased.Messages;
            entity["CancelledMessages"] = erased.CancelledMessages;
        }

        return entity;
    }

    private static List<string> Ids(TableEntity entity) =>
        entity.GetString(Column) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];

    private static ErasureCounts Erased(TableEntity entity) => new(
        entity.GetInt32("ErasedTreatments") ?? 0, entity.GetInt32("ErasedMessages") ?? 0, entity.GetInt32("CancelledMessages") ?? 0);

    private static RequestFailedException Contention(string what) =>
        new(409, $"Client history kept changing under {MaxAttempts} attempts to {what}.", "TooMuchContention", null);
}
