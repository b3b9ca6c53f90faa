using System.Text.Json;
using Aftercare.Core.Delivery;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// Per clinic and client (PK = clinic id, RK = SHA-256 of the phone): the client's treatment ids as a JSON array,
/// oldest first, the last <see cref="MaxKept"/> kept. Appends are ETag-conditional and retried, so concurrent
/// registrations never lose one.
/// </summary>
public sealed class TableClientHistory(AftercareTables tables) : IClientHistory
{
    public const int MaxKept = 20;
    private const string Column = "TreatmentIds";
    private const int MaxAttempts = 100;

    /// <summary>
    /// A point read and a write (two round trips), again from the read whenever a concurrent registration wrote first;
    /// after <c>100</c> lost races it gives up with a <see cref="RequestFailedException"/> (409, TooMuchContention).
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(treatmentId);
        var rowKey = PhoneKeys.For(phone);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await tables.ClientHistory.FindAsync(clinicId, rowKey, cancellationToken: cancellationToken);
            var ids = current is null ? [] : Parse(current);
            var position = ids.IndexOf(treatmentId);
            if (position >= 0)
            {
                // Recorded already (a retried registration): answer as the first time did.
                return ids[..position];
            }

            var updated = new TableEntity(clinicId, rowKey) { [Column] = JsonSerializer.Serialize(ids.Append(treatmentId).TakeLast(MaxKept)) };
            var written = current is null
                ? await tables.ClientHistory.TryAddAsync(updated, cancellationToken)
                : await tables.ClientHistory.TryReplaceAsync(updated, current.ETag, cancellationToken) is not null;
            if (written)
            {
                return ids;
            }

            // Another registration for this client won the race: read its result and append again.
        }

        throw new RequestFailedException(409, $"Client history kept changing under {MaxAttempts} attempts to record a treatment.", "TooMuchContention", null);
    }

    private static List<string> Parse(TableEntity entity) =>
        entity.GetString(Column) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
}
