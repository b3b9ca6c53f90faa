using System.Collections.Concurrent;
using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>
/// What one page of a drain defers to its end, so it costs round trips per page instead of per text: the index
/// maintenance (settled entries removed, deferred ones moved, batched per shard) and the client histories' note that a
/// number has had its first text (batched per clinic); and what it reads once for all its texts: each clinic's
/// opted-out numbers. Thread-safe: the page's texts are dispatched in parallel.
/// </summary>
/// <remarks>
/// A crash before <see cref="CommitAsync"/> loses nothing that matters: an entry whose message settled is dropped by the
/// next drain (it reads the settled message and removes the entry), a deferred message is picked up at its old due time
/// and deferred again, and a number whose first text was not noted gets the opt-out line again on its next treatment's
/// first text (the line is added when in doubt: <see cref="OptOutLineRule"/>).
/// </remarks>
internal sealed class DuePage(int shard, IDueIndex dueIndex, IOptOutStore optOuts, IClientHistory clientHistory)
{
    private readonly ConcurrentBag<DueEntry> _removed = [];
    private readonly ConcurrentBag<DueEntry> _added = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _firstTexts = new(StringComparer.Ordinal);

    // Lazy: GetOrAdd may run its factory more than once when texts of one clinic start together; one read a page.
    private readonly ConcurrentDictionary<string, Lazy<Task<OptedOutNumbers>>> _optedOut = new(StringComparer.Ordinal);

    /// <summary>
    /// The clinic's opted-out numbers, read the first time this page asks (one query a clinic a page), never reused by
    /// another page: a STOP recorded while the page runs may be missed for the rest of the page (its processing time),
    /// where a check per text missed one recorded within a round trip. The STOP path also suppresses the client's
    /// pending message rows, which fails a claim still to come.
    /// </summary>
    public Task<OptedOutNumbers> OptedOutAsync(string clinicId, CancellationToken cancellationToken) =>
        _optedOut.GetOrAdd(clinicId, id => new Lazy<Task<OptedOutNumbers>>(() => optOuts.ListOptedOutAsync(id, cancellationToken))).Value;

    /// <summary>The entry's message is settled (or was never stored): the entry goes at the end of the page.</summary>
    public void Remove(DueEntry entry) => _removed.Add(entry);

    /// <summary>The entry's message waits until <paramref name="dueAt"/>: the entry moves at the end of the page.</summary>
    public void Move(DueEntry entry, Instant dueAt)
    {
        _added.Add(entry with { DueAt = dueAt });
        _removed.Add(entry);
    }

    /// <summary>The provider accepted a number's first text from the clinic: its history notes it at the end of the page.</summary>
    public void FirstTextSent(string clinicId, string phone) =>
        _firstTexts.GetOrAdd(clinicId, _ => []).Add(phone);

    /// <summary>Writes what the page deferred: the index changes, then each clinic's first texts, at <paramref name="now"/>.</summary>
    public async Task CommitAsync(Instant now, CancellationToken cancellationToken)
    {
        if (!_removed.IsEmpty || !_added.IsEmpty)
        {
            await dueIndex.ApplyAsync(shard, [.. _removed], [.. _added], cancellationToken);
        }

        foreach (var (clinicId, phones) in _firstTexts)
        {
            await clientHistory.RecordTextedAsync(clinicId, [.. phones.Distinct(StringComparer.Ordinal)], now, cancellationToken);
        }
    }
}
