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

/// <summary>The outcome of a registration: the stored treatment and its messages, and whether this call created them.</summary>
public sealed record RegistrationResult(bool Created, Treatment Treatment, IReadOnlyList<OutboundMessage> Messages)
{
    public static RegistrationResult Existing(TreatmentRecord record) =>
        new(false, record.Treatment.Value, [.. record.Messages.Select(m => m.Value)]);
}
