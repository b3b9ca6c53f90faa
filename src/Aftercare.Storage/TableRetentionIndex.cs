using Aftercare.Core.Privacy;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>The retention index (layout in <see cref="RetentionEntities"/>). Reading costs what is due, not history.</summary>
public sealed class TableRetentionIndex(AftercareTables tables) : IRetentionIndex
{
    /// <summary>An upsert (one round trip); adding an entry again changes nothing.</summary>
    public Task AddAsync(RetentionEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return tables.Retention.UpsertAsync(RetentionEntities.ToEntity(entry), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>One query over the reason's days up to <paramref name="upTo"/>: one round trip per page of up to <paramref name="limit"/> (at most 1000).</summary>
    public async Task<IReadOnlyList<RetentionEntry>> ListDueAsync(RetentionReason reason, LocalDate upTo, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {RetentionEntities.Prefix(reason)} and PartitionKey le {RetentionEntities.PartitionKey(reason, upTo)}");
        var due = new List<RetentionEntry>(Math.Min(limit, 1000));
        await foreach (var row in tables.Retention.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            due.Add(RetentionEntities.ToEntry(reason, row));
            if (due.Count == limit)
            {
                break; // Before the next page is fetched.
            }
        }

        return due;
    }

    /// <summary>One round trip; removing an entry that is gone already is done.</summary>
    public Task RemoveAsync(RetentionEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return tables.Retention.DeleteAsync(RetentionEntities.PartitionKey(entry.Reason, entry.Day), RetentionEntities.RowKey(entry), cancellationToken);
    }
}
