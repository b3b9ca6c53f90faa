using Aftercare.Core.Alerts;
using Aftercare.Core.Treatments;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage;

/// <summary>The alert outbox (layout in <see cref="AlertEntities"/>).</summary>
public sealed class TableAlertOutbox(AftercareTables tables) : IAlertOutbox
{
    private const int MaxEraseAttempts = 20;

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

    /// <summary>
    /// One query over the day partitions from <paramref name="now"/> − <paramref name="lookback"/> to today, filtered on
    /// the service to the treatment's alerts (one round trip per page of 1000), then one conditional replace per alert
    /// that still holds client data, and a point read and another replace after each lost race.
    /// </summary>
    public async Task<int> EraseClientDataAsync(string clinicId, string treatmentId, Instant now, Duration lookback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clinicId);
        ArgumentNullException.ThrowIfNull(treatmentId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {AlertEntities.PartitionKey(now - lookback)} and PartitionKey le {AlertEntities.PartitionKey(now)} and ClinicId eq {clinicId} and TreatmentId eq {treatmentId}");
        var rows = await tables.Alerts.QueryAsync(filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        var erased = 0;
        foreach (var row in rows)
        {
            if (await EraseRowAsync(row, cancellationToken))
            {
                erased++;
            }
        }

        return erased;
    }

    /// <summary>True when this call removed the data; false when the row holds none (any more) or is gone.</summary>
    private async Task<bool> EraseRowAsync(TableEntity row, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxEraseAttempts; attempt++)
        {
            var stored = AlertEntities.ToOutboxAlert(row);
            if (stored.Alert.IsClientDataErased)
            {
                return false;
            }

            var erased = stored with { Alert = stored.Alert.WithoutClientData() };
            if (await tables.Alerts.TryReplaceAsync(AlertEntities.ToEntity(erased), row.ETag, cancellationToken) is not null)
            {
                return true;
            }

            // A sweep claimed or settled the alert meanwhile: erase what it wrote.
            if (await tables.Alerts.FindAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken) is not { } current)
            {
                return false;
            }

            row = current;
        }

        throw new InvalidOperationException($"Alert {row.RowKey} kept changing under {MaxEraseAttempts} attempts to erase its client data.");
    }
}
