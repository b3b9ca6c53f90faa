namespace Aftercare.Core.Treatments;

/// <summary>
/// A validated registration from a clinic. The client's locale and zone are optional: the clinic's defaults apply.
/// </summary>
public sealed record RegisterTreatment(
    string ExternalId,
    string FirstName,
    string Phone,
    string? Locale,
    string? TimeZoneId,
    TreatmentDetails Details,
    SmsConsent Consent);

/// <summary>
/// The outcome of a registration: the stored treatment and its messages, whether this call created them, and, when the
/// external id was already registered with a different body, the fields that differ (then nothing was changed).
/// </summary>
public sealed record RegistrationResult(bool Created, Treatment Treatment, IReadOnlyList<OutboundMessage> Messages)
{
    /// <summary>The request fields that differ from the stored registration (<see cref="RegistrationComparison"/>); empty unless refused.</summary>
    public IReadOnlyList<string> DifferingFields { get; init; } = [];

    /// <summary>Rebooking prompts of the client's earlier treatments at the clinic that this registration cancelled.</summary>
    public int RebookPromptsCancelled { get; init; }

    public bool IsConflict => DifferingFields.Count > 0;

    public static RegistrationResult Existing(TreatmentRecord record) =>
        new(false, record.Treatment.Value, [.. record.Messages.Select(m => m.Value)]);

    public static RegistrationResult Conflict(TreatmentRecord record, IReadOnlyList<string> differingFields) =>
        Existing(record) with { DifferingFields = differingFields };
}
