using System.Text.Json;
using Aftercare.Core.Alerts;
using Aftercare.Core.Conversation;
using Aftercare.Core.Replies;
using Azure;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// Client replies: PK = "{clinicId}|{treatmentId}" (as the treatment's own partition, in a table of their own), RK = the
/// Twilio MessageSid, so a repeated webhook finds its row and adds nothing. Columns ReceivedAt, Kind, Text, and for
/// free text Triage and MatchedRules (a JSON array of rule ids); Alert when one was raised. An erased reply has no Text.
/// </summary>
public sealed class TableReplyStore(AftercareTables tables) : IReplyStore
{
    private static readonly string[] KeptOnErasure = ["ReceivedAt", "Kind", "Triage", "MatchedRules", "Alert"];

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
        entity.SetIfPresent("Triage", reply.Triage?.Kind.ToWire());
        entity.SetIfPresent("MatchedRules", reply.Triage is { } triage ? JsonSerializer.Serialize(triage.MatchedRules) : null);
        entity.SetIfPresent("Alert", reply.Alert?.ToString());
        return tables.Replies.TryAddAsync(entity, cancellationToken);
    }

    /// <summary>One point read.</summary>
    public async Task<ClientReply?> FindAsync(string clinicId, string treatmentId, string messageSid, CancellationToken cancellationToken)
    {
        var row = await tables.Replies.FindAsync(TreatmentEntities.PartitionKey(clinicId, treatmentId), messageSid, cancellationToken: cancellationToken);
        return row is null ? null : ToReply(clinicId, treatmentId, row);
    }

    /// <summary>One partition query (a round trip per 1000 replies), in received order.</summary>
    public async Task<IReadOnlyList<ClientReply>> ListAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var replies = new List<ClientReply>();
        await foreach (var row in QueryAsync(clinicId, treatmentId, cancellationToken))
        {
            replies.Add(ToReply(clinicId, treatmentId, row));
        }

        return [.. replies.OrderBy(r => r.ReceivedAt).ThenBy(r => r.MessageSid, StringComparer.Ordinal)];
    }

    /// <summary>The partition query, then a conditional replace per reply that still has its text (a lost race is another erasure).</summary>
    public async Task<int> EraseTextsAsync(string clinicId, string treatmentId, CancellationToken cancellationToken)
    {
        var erased = 0;
        await foreach (var row in QueryAsync(clinicId, treatmentId, cancellationToken))
        {
            if (row.GetString("Text") is null)
            {
                continue;
            }

            var without = new TableEntity(row.PartitionKey, row.RowKey);
            foreach (var column in KeptOnErasure)
            {
                if (row.TryGetValue(column, out var value))
                {
                    without[column] = value;
                }
            }

            // A reply is written once and never changed but here: a lost race is another erasure, which did the same.
            if (await tables.Replies.TryReplaceAsync(without, row.ETag, cancellationToken) is not null)
            {
                erased++;
            }
        }

        return erased;
    }

    private static ClientReply ToReply(string clinicId, string treatmentId, TableEntity row) =>
        new(clinicId, treatmentId, row.RowKey, StoredValues.ToInstant(row.RequiredDateTimeOffset("ReceivedAt")), row.GetString("Text") ?? string.Empty, ReplyKinds.FromWire(row.GetString("Kind")))
        {
            Triage = row.GetString("Triage") is { } triage
                ? new ReplyTriageResult(TriageKinds.FromWire(triage), JsonSerializer.Deserialize<string[]>(row.GetString("MatchedRules") ?? "[]") ?? [])
                : null,
            Alert = Enum.TryParse<AlertRouting>(row.GetString("Alert"), out var alert) ? alert : null,
        };

    private AsyncPageable<TableEntity> QueryAsync(string clinicId, string treatmentId, CancellationToken cancellationToken) =>
        tables.Replies.QueryAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {TreatmentEntities.PartitionKey(clinicId, treatmentId)}"), cancellationToken: cancellationToken);
}
