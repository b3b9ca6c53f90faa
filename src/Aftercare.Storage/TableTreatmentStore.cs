using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Azure;

namespace Aftercare.Storage;

/// <summary>Each treatment and its messages in one partition (see <see cref="TreatmentEntities"/>).</summary>
public sealed class TableTreatmentStore(AftercareTables tables) : ITreatmentStore
{
    /// <summary>The treatment row and every message row in one transaction of inserts: a second registration writes nothing.</summary>
    public async Task<bool> TryCreateAsync(Treatment treatment, IReadOnlyList<OutboundMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count >= TableTransaction.MaxActions)
        {
            throw new ArgumentException($"A treatment may have at most {TableTransaction.MaxActions - 1} messages (one transaction).", nameof(messages));
        }

        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, TreatmentEntities.ToEntity(treatment)) };
        actions.AddRange(messages.Select(m =>
            new TableTransactionAction(TableTransactionActionType.Add, TreatmentEntities.ToEntity(treatment.ClinicId, treatment.TreatmentId, m))));
        try
        {
            await tables.Treatments.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<TreatmentRecord?> FindAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var partitionKey = TreatmentEntities.PartitionKey(clinicId, treatmentId);
        Versioned<Treatment>? treatment = null;
        var messages = new List<Versioned<OutboundMessage>>();
        await foreach (var row in tables.Treatments.QueryAsync(TableFilter.Create($"PartitionKey eq {partitionKey}"), cancellationToken: cancellationToken))
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

    /// <summary>One query over the partition's message rows, filtered by stage on the server.</summary>
    public async Task<Versioned<OutboundMessage>?> FindMessageAsync(string clinicId, string treatmentId, string stageId, CancellationToken cancellationToken)
    {
        var partitionKey = TreatmentEntities.PartitionKey(clinicId, treatmentId);
        var filter = TableFilter.Create(
            $"PartitionKey eq {partitionKey} and RowKey ge {TreatmentEntities.MessageRowPrefix} and RowKey lt {TreatmentEntities.MessageRowEnd} and StageId eq {stageId}");
        await foreach (var row in tables.Treatments.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            return new Versioned<OutboundMessage>(TreatmentEntities.ToMessage(row), row.ETag.ToString());
        }

        return null;
    }

    /// <summary>Null when the ETag no longer matches, or the message is gone: either way someone else changed it first.</summary>
    public Task<string?> TryReplaceMessageAsync(string clinicId, string treatmentId, OutboundMessage message, string etag, CancellationToken cancellationToken) =>
        TryReplaceAsync(TreatmentEntities.ToEntity(clinicId, treatmentId, message), etag, cancellationToken);

    public Task<string?> TryReplaceTreatmentAsync(Treatment treatment, string etag, CancellationToken cancellationToken) =>
        TryReplaceAsync(TreatmentEntities.ToEntity(treatment), etag, cancellationToken);

    private async Task<string?> TryReplaceAsync(TableEntity entity, string etag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        try
        {
            var response = await tables.Treatments.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (Exception ex) when (ex is TablePreconditionFailedException or TableNotFoundException)
        {
            return null;
        }
    }
}
