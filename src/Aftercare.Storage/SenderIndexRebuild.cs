using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// Rebuilds the sender index (<see cref="TableSenderDirectory"/>) from the clinics, for clinics created before the index
/// existed, and removes entries of senders a clinic no longer uses. Two passes, one page per call: first every clinic is
/// recorded under its current senders (an upsert each), then every index entry is checked against its clinic's current
/// senders. Safe to run again, and to stop between pages; <see cref="TableClinicStore"/> keeps the index up to date
/// meanwhile.
/// </summary>
public sealed class SenderIndexRebuild(AftercareTables tables)
{
    /// <summary>Rows one call reads when <see cref="PageSize"/> is not set.</summary>
    public const int DefaultPageSize = 100;

    private const string ClinicsPass = "clinics:";
    private const string EntriesPass = "senders:";

    // The clinic row's columns (ClinicEntities) that name its senders: all the first pass reads of a clinic.
    private const string SenderPhone = "SenderPhone";
    private const string MessagingServiceSid = "MessagingServiceSid";

    /// <summary>Clinic rows, or index entries, one call reads: 1 to 1000.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>True when <paramref name="continuation"/> is null or a token <see cref="ReindexAsync"/> returned.</summary>
    public static bool IsValidContinuation(string? continuation) =>
        continuation is null || continuation.StartsWith(ClinicsPass, StringComparison.Ordinal) || continuation.StartsWith(EntriesPass, StringComparison.Ordinal);

    /// <summary>
    /// Works through one page from <paramref name="continuation"/> (null: the first clinics). Round trips: a page of
    /// clinics is one query and an upsert per sender; a page of entries is one query, a point read per clinic named on
    /// it and a conditional delete per stale entry. An entry is stale when its clinic sends from neither that number nor
    /// that Messaging Service and has changed since the entry was written (an entry written after its clinic's last change
    /// may belong to a change of sender still under way, and a left-over is harmless: readers check the clinic's sender);
    /// entries of a clinic that does not exist are left too (its creation may be under way). The delete is conditional on
    /// the entry's ETag, so an entry rewritten meanwhile stays.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="continuation"/> is not <see cref="IsValidContinuation"/>.</exception>
    public async Task<SenderReindexPage> ReindexAsync(string? continuation, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 1000);
        if (!IsValidContinuation(continuation))
        {
            throw new ArgumentException("Not a continuation token of the sender reindex.", nameof(continuation));
        }

        return continuation is not null && continuation.StartsWith(EntriesPass, StringComparison.Ordinal)
            ? await RemoveStaleAsync(Token(continuation[EntriesPass.Length..]), cancellationToken)
            : await IndexClinicsAsync(Token(continuation?[ClinicsPass.Length..]), cancellationToken);
    }

    private async Task<SenderReindexPage> IndexClinicsAsync(string? token, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"RowKey eq {ClinicEntities.RowKey}");
        string[] columns = ["PartitionKey", SenderPhone, MessagingServiceSid];
        await foreach (var page in tables.Clinics.QueryAsync(filter, PageSize, columns, cancellationToken).AsPages(token, PageSize))
        {
            foreach (var row in page.Values)
            {
                foreach (var sender in Senders(row))
                {
                    await tables.Senders.UpsertAsync(new TableEntity(sender, row.PartitionKey), TableUpdateMode.Replace, cancellationToken);
                }
            }

            return new SenderReindexPage(page.Values.Count, 0, page.ContinuationToken is { } next ? ClinicsPass + next : EntriesPass);
        }

        return new SenderReindexPage(0, 0, EntriesPass);
    }

    private async Task<SenderReindexPage> RemoveStaleAsync(string? token, CancellationToken cancellationToken)
    {
        await foreach (var page in tables.Senders.QueryAsync(maxPerPage: PageSize, cancellationToken: cancellationToken).AsPages(token, PageSize))
        {
            var clinics = new Dictionary<string, TableEntity?>(StringComparer.Ordinal);
            var removed = 0;
            foreach (var entry in page.Values)
            {
                if (!clinics.TryGetValue(entry.RowKey, out var clinic))
                {
                    clinic = await tables.Clinics.FindAsync(entry.RowKey, ClinicEntities.RowKey, cancellationToken: cancellationToken);
                    clinics[entry.RowKey] = clinic;
                }

                if (clinic is not null
                    && !Senders(clinic).Contains(entry.PartitionKey, StringComparer.Ordinal)
                    && entry.Timestamp < clinic.Timestamp
                    && await tables.Senders.TryDeleteAsync(entry.PartitionKey, entry.RowKey, entry.ETag, cancellationToken))
                {
                    removed++;
                }
            }

            return new SenderReindexPage(0, removed, page.ContinuationToken is { } next ? EntriesPass + next : null);
        }

        return new SenderReindexPage(0, 0, null);
    }

    private static IEnumerable<string> Senders(TableEntity clinic) =>
        TableSenderDirectory.SendersOf(clinic.GetString(SenderPhone), clinic.GetString(MessagingServiceSid));

    private static string? Token(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>
/// What one call of <see cref="SenderIndexRebuild.ReindexAsync"/> did: clinics recorded under their senders, stale
/// entries removed, and the token to call again with (null once both passes are done).
/// </summary>
public sealed record SenderReindexPage(int ClinicsIndexed, int StaleEntriesRemoved, string? Continuation)
{
    public bool Done => Continuation is null;
}
