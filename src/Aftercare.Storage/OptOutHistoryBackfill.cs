using Aftercare.Core.Security;

namespace Aftercare.Storage;

/// <summary>
/// Notes in the client history (column OptedOutAt, <see cref="TableClientHistory"/>) every opt-out recorded before the
/// history carried them, so registrations, which learn of an opt-out from the history alone, see those too. Operators
/// run it once after deploying this version, a page per call, until done; running it again changes nothing.
/// </summary>
public sealed class OptOutHistoryBackfill(AftercareTables tables, PhoneHasher phones)
{
    public const int DefaultPageSize = 200;

    private const string TokenPrefix = "optouts:";

    private readonly TableClientHistory _history = new(tables, phones);

    /// <summary>Opt-outs noted per call, 1 to 1000.</summary>
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>True when <paramref name="continuation"/> is null or a token <see cref="BackfillAsync"/> returned.</summary>
    public static bool IsValidContinuation(string? continuation) =>
        continuation is null || (continuation.StartsWith(TokenPrefix, StringComparison.Ordinal) && continuation.Length > TokenPrefix.Length);

    /// <summary>
    /// Notes one page of opt-outs from <paramref name="continuation"/> (null: the first): a query round trip, then a merge
    /// of OptedOutAt into each one's history row (creating it when the number has none).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="continuation"/> is not <see cref="IsValidContinuation"/>.</exception>
    public async Task<OptOutBackfillPage> BackfillAsync(string? continuation, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 1000);
        if (!IsValidContinuation(continuation))
        {
            throw new ArgumentException("Not a continuation token of the opt-out backfill.", nameof(continuation));
        }

        string[] columns = ["PartitionKey", "RowKey", "At"];
        await foreach (var page in tables.OptOuts.QueryAsync(maxPerPage: PageSize, select: columns, cancellationToken: cancellationToken)
                           .AsPages(continuation?[TokenPrefix.Length..], PageSize))
        {
            foreach (var row in page.Values)
            {
                await _history.RecordOptedOutAsync(row.PartitionKey, row.RowKey, row.RequiredDateTimeOffset("At"), cancellationToken);
            }

            return new OptOutBackfillPage(page.Values.Count, page.ContinuationToken is { } next ? TokenPrefix + next : null);
        }

        return new OptOutBackfillPage(0, null);
    }
}

/// <summary>One call's work: opt-outs noted in the client history, and the token to call again with (null: done).</summary>
public sealed record OptOutBackfillPage(int Noted, string? Continuation)
{
    public bool Done => Continuation is null;
}
