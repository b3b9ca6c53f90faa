using NodaTime;

namespace Aftercare.Core.Treatments;

/// <summary>A treatment a clinic registered, and who receives its aftercare texts.</summary>
public sealed record Treatment
{
    public required string ClinicId { get; init; }

    /// <summary>Derived from the clinic and its external id (<see cref="TreatmentIds"/>), so a retry finds the same one.</summary>
    public required string TreatmentId { get; init; }

    public required string ExternalId { get; init; }

    public required ClientDetails Client { get; init; }

    public required TreatmentDetails Details { get; init; }

    public required SmsConsent Consent { get; init; }

    public required string PlanId { get; init; }

    public required TreatmentStatus Status { get; init; }

    /// <summary>Why nothing was scheduled or why it stopped, in words a clinic can read.</summary>
    public string? StatusReason { get; init; }

    public required Instant RegisteredAt { get; init; }

    /// <summary>
    /// True when the client's number had already received a text from this clinic when this treatment was registered
    /// (<see cref="Delivery.ClientHistory.Texted"/>): its first text carried the opt-out line, so none of this
    /// treatment's texts has to. False promises nothing either way: the dispatcher then adds the line to the first
    /// text this treatment sends.
    /// </summary>
    public bool ClientTextedBefore { get; init; }

    /// <summary>
    /// When the client's name and phone and every message text were erased (at the clinic's request or at the end of
    /// the retention period); null while they are held. An erased treatment keeps its anonymised audit: stages,
    /// statuses, times, provider ids and error codes.
    /// </summary>
    public Instant? ErasedAt { get; init; }

    /// <summary>Why the personal data was erased, in words a clinic can read; null until it is.</summary>
    public string? ErasureReason { get; init; }
}

/// <summary>Who receives the texts. <see cref="Phone"/> is canonical E.164; both it and the name are empty once erased.</summary>
public sealed record ClientDetails(string FirstName, string Phone, string Locale, string TimeZoneId)
{
    /// <summary>The client with the name and phone erased; the locale and zone stay, for the timeline.</summary>
    public ClientDetails Erased() => this with { FirstName = string.Empty, Phone = string.Empty };
}

public sealed record TreatmentDetails(string Type, string Device, decimal? NeedleDepthMm, string Area, OffsetDateTime PerformedAt);

public sealed record SmsConsent(bool Sms, OffsetDateTime CapturedAt, string Method);

public enum TreatmentStatus
{
    Active,
    Cancelled,
    OptedOut,
}
