using Aftercare.Core.Conversation;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// Client replies: PK = "{clinicId}|{treatmentId}" (as the treatment's own partition, in a table of their own), RK = the
/// Twilio MessageSid, so a repeated webhook finds its row and adds nothing. Columns ReceivedAt, Kind and Text; an
/// erased reply has no Text.
/// </summary>
public sealed class TableReplyStore(AftercareTables tables) : IReplyStore
{
    /// <summary>One insert (one round trip); false when the MessageSid is stored on the treatment already.</summary>
    public Task<bool> TryAddAsync(ClientReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var entity = new TableEntity(TreatmentEntities.PartitionKey(reply.ClinicId, reply.TreatmentId), reply.MessageSid)
        {
            ["ReceivedAt"] = StoredValues.ToStored(reply.ReceivedAt),
            ["Kind"] = reply.Kind.ToWire(),
        };
        entity.SetIfPresent("Text", reply.Text.Length > 0 ? reply.Text : null);
        return tables.Replies.TryAddAsync(entity, cancellationToken);
    }

    /// <summary>One partition query (a round trip per 1000 replies), in received order.</summary>
    public async Task<IReadOnlyList<ClientReply>> ListAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var replies = new List<ClientReply>();
        await foreach (var row in QueryAsync(clinicId, treatmentId, cancellationToken))
        {
            replies.Add(new ClientReply(
                clinicId,
                treatmentId,
                row.RowKey,
                StoredValues.ToInstant(row.RequiredDateTimeOffset("ReceivedAt")),
                row.GetString("Text") ?? string.Empty,
                ReplyKinds.FromWire(row.GetString("Kind"))));
        }

        return [.. replies.OrderBy(r => r.ReceivedAt).ThenBy(r => r.MessageSid, StringComparer.Ordinal)];
    }

    /// <summary>The partition query, then a conditional merge per reply that still has its text (again on a lost race).</summary>
    public async Task<int> EraseTextsAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var erased = 0;
        await foreach (var row in QueryAsync(clinicId, treatmentId, cancellationToken))
        {
            if (row.GetString("Text") is null)
            {
                continue;
            }

            var without = new TableEntity(row.PartitionKey, row.RowKey)
            {
                ["ReceivedAt"] = row["ReceivedAt"],
                ["Kind"] = row["Kind"],
            };

            // A reply is written once and never changed but here: a lost race is another erasure, which did the same.
            if (await tables.Replies.TryReplaceAsync(without, row.ETag, cancellationToken) is not null)
            {
                erased++;
            }
        }

        return erased;
    }

    private AsyncPageable<TableEntity> QueryAsync(string clinicId, string treatmentId, CancellationToken cancellationToken) =>
        tables.Replies.QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {TreatmentEntities.PartitionKey(clinicId, treatmentId)}"), cancellationToken: cancellationToken);
}
