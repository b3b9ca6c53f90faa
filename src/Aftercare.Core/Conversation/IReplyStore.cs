namespace Aftercare.Core.Conversation;

/// <summary>Client replies, per treatment, one per Twilio message id.</summary>
public interface IReplyStore
{
    /// <summary>Stores the reply; false when a reply with its <see cref="ClientReply.MessageSid"/> is stored on that treatment already (nothing changes).</summary>
    Task<bool> TryAddAsync(ClientReply reply, CancellationToken cancellationToken);

    /// <summary>The reply with Twilio's <paramref name="messageSid"/> on the treatment, or null (one point read).</summary>
    Task<ClientReply?> FindAsync(string clinicId, string treatmentId, string messageSid, CancellationToken cancellationToken);

    /// <summary>The treatment's replies, oldest first.</summary>
    Task<IReadOnlyList<ClientReply>> ListAsync(string clinicId, string treatmentId, CancellationToken cancellationToken);

    /// <summary>Erases the text of every reply of the treatment, keeping when it came and its kind; returns how many it erased. Repeating it erases nothing more.</summary>
    Task<int> EraseTextsAsync(string clinicId, string treatmentId, CancellationToken cancellationToken);
}
