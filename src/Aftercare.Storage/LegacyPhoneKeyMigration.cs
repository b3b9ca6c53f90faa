using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aftercare.Core.Privacy;
using Aftercare.Core.Security;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// Moves rows keyed by the old bare SHA-256 of a phone number to its keyed hash (<see cref="PhoneHasher"/>), and gives
/// every treatment its retention entry. An old key cannot be turned into a new one without the number, but every such
/// row (an opt-out, a client history) belongs to a client some treatment row names: the migration walks the treatment
/// rows, a page at a time, and moves what it finds for each (noting a moved opt-out in the history, where registrations
/// look for it). Safe to run again, and to stop between pages.
/// </summary>
public sealed class LegacyPhoneKeyMigration(AftercareTables tables, PhoneHasher phones, IRetentionIndex retention)
{
    /// <summary>Treatment rows one call reads.</summary>
    public const int PageSize = 100;

    private const string Ids = "TreatmentIds";
    private const int MaxAttempts = 100;

    private readonly TableClientHistory _history = new(tables, phones);

    /// <summary>
    /// Migrates one page of treatments, from <paramref name="continuation"/> (null: the first page). Returns how many
    /// treatments it read and the token of the next page, null when this was the last. Per treatment: a point read of the
    /// old opt-out and the old history (two round trips), a move of each that exists (and the opt-out's note in the history),
    /// and the retention entry's upsert.
    /// </summary>
    public async Task<(int Treatments, string? Continuation)> MigrateAsync(string? continuation, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {TreatmentEntities.TreatmentRowKey}");
        await foreach (var page in tables.Treatments.QueryAsync(filter, PageSize, cancellationToken: cancellationToken).AsPages(continuation, PageSize))
        {
            foreach (var row in page.Values)
            {
                var treatment = TreatmentEntities.ToTreatment(row);
                if (treatment.Client.Phone.Length > 0)
                {
                    var (legacy, keyed) = (LegacyKey(treatment.Client.Phone), phones.Hash(treatment.Client.Phone));
                    var optedOutAt = await MoveOptOutAsync(treatment.ClinicId, legacy, keyed, cancellationToken);
                    await MoveHistoryAsync(treatment.ClinicId, legacy, keyed, cancellationToken);
                    if (optedOutAt is { } at)
                    {
                        await _history.RecordOptedOutAsync(treatment.ClinicId, keyed, at, cancellationToken);
                    }
                }

                await retention.AddAsync(RetentionEntry.ForNewTreatment(treatment), cancellationToken);
            }

            return (page.Values.Count, page.ContinuationToken);
        }

        return (0, null);
    }

    /// <summary>The row key the app used before keyed hashes: lowercase hex SHA-256 of the E.164 text.</summary>
    internal static string LegacyKey(string phone) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(phone)));

    /// <summary>Returns when the moved opt-out was recorded, or null when there was none under the old key.</summary>
    private async Task<DateTimeOffset?> MoveOptOutAsync(string clinicId, string legacy, string keyed, CancellationToken cancellationToken)
    {
        if (await tables.OptOuts.FindAsync(clinicId, legacy, cancellationToken: cancellationToken) is not { } old)
        {
            return null;
        }

        var moved = new TableEntity(clinicId, keyed);
        foreach (var (name, value) in old.Where(p => p.Key is "Source" or "At"))
        {
            moved[name] = value;
        }

        // A STOP recorded under the new key meanwhile is newer: it stays as it is.
        await tables.OptOuts.TryAddAsync(moved, cancellationToken);
        await tables.OptOuts.DeleteAsync(clinicId, legacy, cancellationToken);
        return old.RequiredDateTimeOffset("At");
    }

    private async Task MoveHistoryAsync(string clinicId, string legacy, string keyed, CancellationToken cancellationToken)
    {
        if (await tables.ClientHistory.FindAsync(clinicId, legacy, cancellationToken: cancellationToken) is not { } old)
        {
            return;
        }

        for (var attempt = 0; ; attempt++)
        {
            if (attempt == MaxAttempts)
            {
                throw new RequestFailedException(409, $"Client history kept changing under {MaxAttempts} attempts to migrate it.", "TooMuchContention", null);
            }

            var current = await tables.ClientHistory.FindAsync(clinicId, keyed, cancellationToken: cancellationToken);
            var merged = new TableEntity(clinicId, keyed)
            {
                [Ids] = JsonSerializer.Serialize(IdsOf(old).Concat(current is null ? [] : IdsOf(current)).Distinct(StringComparer.Ordinal).TakeLast(TableClientHistory.MaxKept)),
            };
            var written = current is null
                ? await tables.ClientHistory.TryAddAsync(merged, cancellationToken)
                : await tables.ClientHistory.TryReplaceAsync(Carry(current, merged), current.ETag, cancellationToken) is not null;
            if (written)
            {
                break;
            }
        }

        await tables.ClientHistory.DeleteAsync(clinicId, legacy, cancellationToken);
    }

    private static TableEntity Carry(TableEntity from, TableEntity to)
    {
        foreach (var (name, value) in from.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" or Ids)))
        {
            to[name] = value;
        }

        return to;
    }

    private static List<string> IdsOf(TableEntity entity) =>
        entity.GetString(Ids) is { Length: > 0 } json ? JsonSerializer.Deserialize<List<string>>(json) ?? [] : [];
}
