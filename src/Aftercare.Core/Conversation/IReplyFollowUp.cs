using Aftercare.Core.Clinics;

namespace Aftercare.Core.Conversation;

/// <summary>
/// What happens to a stored reply next: triage of its text and the clinic's alert (issue 14, items 4 and 5). Called in
/// the request that stored the reply, after it is stored, and again whenever Twilio posts the same message again: an
/// implementation must be idempotent on <see cref="ClientReply.MessageSid"/> (an alert outbox keyed by it), which
/// makes a crash between storing and following up safe as long as Twilio retries.
/// </summary>
public interface IReplyFollowUp
{
    /// <summary>Follows up the reply; the answer to send back to the client, or null for none.</summary>
    Task<string?> FollowUpAsync(Clinic clinic, ClientReply reply, string clientLocale, CancellationToken cancellationToken);
}

/// <summary>No triage and no alerts yet: the placeholder until the triage and alert parts are merged.</summary>
public sealed class NoReplyFollowUp : IReplyFollowUp
{
    public Task<string?> FollowUpAsync(Clinic clinic, ClientReply reply, string clientLocale, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}
