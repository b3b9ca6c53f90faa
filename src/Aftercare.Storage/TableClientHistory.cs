using System.Text.Json;
using Aftercare.Core.Delivery;
using Azure;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>
/// Per clinic and client (PK = clinic id, RK = the phone's key, <see cref="PhoneKeys"/>): the client's treatment ids
/// as a JSON array, oldest first, the last <see cref="MaxKept"/> kept, and TextedAt, when a text from the clinic to the
/// number was last recorded as accepted (absent: none yet). Appends are ETag-conditional and retried, so concurrent
/// registrations never lose one; TextedAt is merged in unconditionally and carried through every append.
/// </summary>
public sealed class TableClientHistory(AftercareTables tables) : IClientHistory
{
    public const int MaxKept = 20;
    private const string Column = "TreatmentIds";
    private const string TextedAtColumn = "TextedAt";
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
        var rowKey = PhoneKeys.For(phone);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await tables.ClientHistory.FindAsync(clinicId, rowKey, cancellationToken: cancellationToken);
            var ids = current is null ? [] : Parse(current);
            var textedAt = current?.GetDateTimeOffset(TextedAtColumn);
            var position = ids.IndexOf(treatmentId);
            if (position >= 0)
            {
                return new ClientHistory(ids[..position], textedAt is not null);
            }

            var updated = new TableEntity(clinicId, rowKey) { [Column] = JsonSerializer.Serialize(ids.Append(treatmentId).TakeLast(MaxKept)) };
            updated.SetIfPresent(TextedAtColumn, textedAt);
            var written = current is null
                ? await tables.ClientHistory.TryAddAsync(updated, cancellationToken)
                : await tables.ClientHistory.TryReplaceAsync(updated, current.ETag, cancellationToken) is not null;
            if (written)
            {
                return new ClientHistory(ids, textedAt is not null);
            }

            // Another registration for this client, or a text's record, came first: read the result and append again.
        }

        throw new RequestFailedException(409, $"Client history kept changing under {MaxAttempts} attempts to record a treatment.", "TooMuchContention", null);
    }

    /// <summary>One round trip: an unconditional merge of TextedAt, creating the row if there is none.</summary>
    public Task RecordTextedAsync(string clinicId, string phone, Instant at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(clinicId, PhoneKeys.For(phone)) { [TextedAtColumn] = StoredValues.ToStored(at) };
        return tables.ClientHistory.UpsertAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    private static List<string> Parse(TableEntity entity) =>
        entity.GetString(Column) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
}
