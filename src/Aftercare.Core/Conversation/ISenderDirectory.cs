namespace Aftercare.Core.Conversation;

/// <summary>
/// Which clinics send from a sender: a Twilio number (E.164) or a Messaging Service ("MG…"). Several clinics may share
/// one; a carrier sees the sender, not the clinic, so an opt-out at the sender applies to all of them.
/// </summary>
public interface ISenderDirectory
{
    /// <summary>
    /// The ids of the clinics recorded for <paramref name="sender"/>, possibly including clinics that have since moved
    /// to another sender: callers check the clinic's current sender.
    /// </summary>
    Task<IReadOnlyList<string>> FindClinicIdsAsync(string sender, CancellationToken cancellationToken);
}
