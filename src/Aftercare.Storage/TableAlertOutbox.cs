using Aftercare.Core.Alerts;
using Aftercare.Core.Treatments;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>The alert outbox (layout in <see cref="AlertEntities"/>).</summary>
public sealed class TableAlertOutbox(AftercareTables tables) : IAlertOutbox
{
    /// <summary>One round trip: an insert that meets an existing row (409) changes nothing and returns false.</summary>
    public Task<bool> AddAsync(ClinicAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!ClinicAlert.IsValidId(alert.Id))
        {
            throw new ArgumentException("An alert id is 1–128 letters, digits, '-' or '_'.", nameof(alert));
        }

        return tables.Alerts.TryAddAsync(AlertEntities.ToEntity(OutboxAlert.New(alert)), cancellationToken);
    }

    /// <summary>
    /// One query over the day partitions from <paramref name="now"/> − <paramref name="lookback"/> to today, filtered on
    /// the service to open, due rows; one round trip per page of up to <paramref name="limit"/> (at most 1000) rows.
    /// </summary>
    public async Task<IReadOnlyList<Versioned<OutboxAlert>>> ListDueAsync(Instant now, Duration lookback, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var pending = nameof(AlertDeliveryStatus.Pending);
        var sending = nameof(AlertDeliveryStatus.Sending);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {AlertEntities.PartitionKey(now - lookback)} and PartitionKey le {AlertEntities.PartitionKey(now)} and (Status eq {pending} or Status eq {sending}) and NextAttemptAt le {StoredValues.ToStored(now)}");
        var due = new List<Versioned<OutboxAlert>>();
        await foreach (var row in tables.Alerts.QueryAsync(filter, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
        {
            due.Add(new Versioned<OutboxAlert>(AlertEntities.ToOutboxAlert(row), row.ETag.ToString()));
            if (due.Count == limit)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>One point read.</summary>
    public async Task<Versioned<OutboxAlert>?> FindAsync(string alertId, Instant createdAt, CancellationToken cancellationToken)
    {
        var row = await tables.Alerts.FindAsync(AlertEntities.PartitionKey(createdAt), alertId, cancellationToken: cancellationToken);
        return row is null ? null : new Versioned<OutboxAlert>(AlertEntities.ToOutboxAlert(row), row.ETag.ToString());
    }

    /// <summary>One conditional replace (If-Match).</summary>
    public async Task<string?> TryReplaceAsync(OutboxAlert alert, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var replaced = await tables.Alerts.TryReplaceAsync(AlertEntities.ToEntity(alert), new Azure.ETag(etag), cancellationToken);
        return replaced?.ToString();
    }
}
