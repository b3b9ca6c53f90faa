namespace Aftercare.Core.Delivery;

/// <summary>Which treatments a client has had at a clinic, so a new one can cancel the previous rebooking prompts.</summary>
public interface IClientHistory
{
    /// <summary>Records the treatment for the client and returns the treatments recorded before it.</summary>
    Task<IReadOnlyList<string>> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken);
}
