using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>Each treatment and its messages in one partition (layout in <see cref="TreatmentEntities"/>).</summary>
public sealed class TableTreatmentStore(AftercareTables tables) : ITreatmentStore
{
    /// <summary>
    /// The treatment row and every message row in one transaction of inserts (one round trip): a second registration
    /// writes nothing and answers false. At most <see cref="TransactionRules.MaxActions"/> − 1 messages.
    /// </summary>
    public async Task<bool> TryCreateAsync(Treatment treatment, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count >= TransactionRules.MaxActions)
        {
            throw new ArgumentException($"A treatment may have at most {TransactionRules.MaxActions - 1} messages (one transaction).", nameof(messages));
        }

        TableEntity[] rows =
        [
            TreatmentEntities.ToEntity(treatment),
            .. messages.Select(m => TreatmentEntities.ToEntity(treatment.ClinicId, treatment.TreatmentId, m)),
        ];
        return await tables.Treatments.TryAddAllAsync(rows, cancellationToken);
    }

    /// <summary>The whole partition in one query (one round trip for up to 1000 rows); null when there is no treatment row.</summary>
    public async Task<TreatmentRecord?> FindAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var partitionKey = TreatmentEntities.PartitionKey(clinicId, treatmentId);
        Versioned<Treatment>? treatment = null;
        var messages = new List<Versioned<OutboundMessage>>();
        await foreach (var row in tables.Treatments.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken))
        {
            if (row.RowKey == TreatmentEntities.TreatmentRowKey)
            {
                treatment = new Versioned<Treatment>(TreatmentEntities.ToTreatment(row), row.ETag.ToString());
            }
            else if (TreatmentEntities.IsMessageRow(row))
            {
                messages.Add(new Versioned<OutboundMessage>(TreatmentEntities.ToMessage(row), row.ETag.ToString()));
            }
        }

        return treatment is null ? null : new TreatmentRecord(treatment, messages);
    }

    /// <summary>One query over the partition's message rows, filtered by stage on the server (one round trip).</summary>
    public async Task<Versioned<OutboundMessage>?> FindMessageAsync(string clinicId, string treatmentId, string stageId, CancellationToken cancellationToken)
    {
        var partitionKey = TreatmentEntities.PartitionKey(clinicId, treatmentId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey ge {TreatmentEntities.MessageRowPrefix} and RowKey lt {TreatmentEntities.MessageRowEnd} and StageId eq {stageId}");
        await foreach (var row in tables.Treatments.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            return new Versioned<OutboundMessage>(TreatmentEntities.ToMessage(row), row.ETag.ToString());
        }

        return null;
    }

    /// <summary>One round trip. Null when the ETag no longer matches, or the message is gone: either way someone else changed it first.</summary>
    public Task<string?> TryReplaceMessageAsync(string clinicId, string treatmentId, OutboundMessage message, string etag, CancellationToken cancellationToken) =>
        TryReplaceAsync(TreatmentEntities.ToEntity(clinicId, treatmentId, message), etag, cancellationToken);

    /// <summary>
    /// One transaction (one round trip): an ETag-conditional merge of nothing into the treatment row (it only moves the
    /// row's ETag, so the transaction fails if the treatment changed since it was read) and the ETag-conditional replace
    /// of the message row. Every writer of the treatment row reads it again when its own conditional write fails.
    /// </summary>
    public async Task<string?> TryClaimMessageAsync(Versioned<Treatment> treatment, OutboundMessage claimed, string messageETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentException.ThrowIfNullOrEmpty(treatment.ETag);
        ArgumentException.ThrowIfNullOrEmpty(messageETag);
        var value = treatment.Value;
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.UpdateMerge, new TableEntity(TreatmentEntities.PartitionKey(value.ClinicId, value.TreatmentId), TreatmentEntities.TreatmentRowKey), new ETag(treatment.ETag)),
            Replace(TreatmentEntities.ToEntity(value.ClinicId, value.TreatmentId, claimed), messageETag),
        ];
        var etags = await tables.Treatments.TrySubmitConditionalAsync(actions, cancellationToken);
        return etags is null ? null : etags[1].ToString();
    }

    /// <summary>One round trip; null as for <see cref="TryReplaceMessageAsync"/>.</summary>
    public Task<string?> TryReplaceTreatmentAsync(Treatment treatment, string etag, CancellationToken cancellationToken) =>
        TryReplaceAsync(TreatmentEntities.ToEntity(treatment), etag, cancellationToken);

    /// <summary>
    /// One transaction of ETag-conditional replaces (one round trip): the treatment row and up to
    /// <see cref="TransactionRules.MaxActions"/> − 1 message rows, all or none.
    /// </summary>
    public async Task<bool> TryReplaceAllAsync(Versioned<Treatment> treatment, IReadOnlyList<Versioned<OutboundMessage>> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(messages);
        var value = treatment.Value;
        TableTransactionAction[] actions =
        [
            Replace(TreatmentEntities.ToEntity(value), treatment.ETag),
            .. messages.Select(m => Replace(TreatmentEntities.ToEntity(value.ClinicId, value.TreatmentId, m.Value), m.ETag)),
        ];
        return await tables.Treatments.TrySubmitConditionalAsync(actions, cancellationToken) is not null;
    }

    private static TableTransactionAction Replace(TableEntity entity, string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(etag));
    }

    private async Task<string?> TryReplaceAsync(TableEntity entity, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        return (await tables.Treatments.TryReplaceAsync(entity, new ETag(etag), cancellationToken))?.ToString();
    }
}
