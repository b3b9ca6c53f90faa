using Aftercare.Core.Clinics;
using Aftercare.Core.Conversation;
using Azure.Data.Tables;

namespace Aftercare.Storage;

/// <summary>
/// The sender → clinic index: PK = the sender (a number in E.164 or a Messaging Service SID, neither of them personal
/// data), RK = the clinic id, no other column. <see cref="TableClinicStore"/> writes a clinic's rows before the clinic
/// row itself, so a crash in between leaves a row naming a clinic that does not send from that sender (yet), never a
/// clinic missing from the index; readers check the clinic's current sender. Rows of a sender a clinic moved away
/// from are removed after the clinic is updated (a left-over is harmless for the same reason).
/// </summary>
public sealed class TableSenderDirectory(AftercareTables tables) : ISenderDirectory
{
    /// <summary>One partition query (one round trip for up to 1000 clinics on a sender).</summary>
    public async Task<IReadOnlyList<string>> FindClinicIdsAsync(string sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (!Tables.TableKeys.IsValid(sender))
        {
            return [];
        }

        var ids = new List<string>();
        await foreach (var row in tables.Senders.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {sender}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <summary>The senders a clinic sends from: its number and its Messaging Service, whichever it has.</summary>
    internal static IEnumerable<string> SendersOf(Clinic clinic) => SendersOf(clinic.SenderPhone, clinic.MessagingServiceSid);

    /// <summary>The senders of a clinic with this number and this Messaging Service (either may be absent).</summary>
    internal static IEnumerable<string> SendersOf(string? senderPhone, string? messagingServiceSid) =>
        new[] { senderPhone, messagingServiceSid }.OfType<string>().Where(s => s.Length > 0);

    /// <summary>Records the clinic under each of its senders (an upsert each, one round trip).</summary>
    internal async Task AddAsync(Clinic clinic, CancellationToken cancellationToken)
    {
        foreach (var sender in SendersOf(clinic))
        {
            await tables.Senders.UpsertAsync(new TableEntity(sender, clinic.Id), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>Removes the clinic from the senders <paramref name="before"/> had and <paramref name="after"/> has not.</summary>
    internal async Task RemoveStaleAsync(Clinic before, Clinic after, CancellationToken cancellationToken)
    {
        foreach (var sender in SendersOf(before).Except(SendersOf(after), StringComparer.Ordinal))
        {
            await tables.Senders.DeleteAsync(sender, after.Id, cancellationToken);
        }
    }
}
