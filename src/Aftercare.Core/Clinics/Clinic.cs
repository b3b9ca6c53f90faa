using Aftercare.Core.Alerts;
using NodaTime;

namespace Aftercare.Core.Clinics;

/// <summary>A clinic that registers treatments and whose clients receive the aftercare texts.</summary>
public sealed record Clinic
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>IANA zone used when a client has none of their own.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>The E.164 number texts come from; either this or <see cref="MessagingServiceSid"/>.</summary>
    public string? SenderPhone { get; init; }

    public string? MessagingServiceSid { get; init; }

    public required string BookingUrl { get; init; }

    /// <summary>The phone number clients are told to call; printed in texts, so it is the clinic's public line.</summary>
    public required string ContactPhone { get; init; }

    /// <summary>Where clinic alerts are posted (https, public); without one, alerts show on the timeline only.</summary>
    public string? AlertWebhookUrl { get; init; }

    /// <summary>The alert types the clinic receives; <see cref="ClinicAlertTypes.Default"/> unless it chose others.</summary>
    public IReadOnlySet<ClinicAlertType> AlertTypes { get; init; } = ClinicAlertTypes.Default;

    public required QuietHours QuietHours { get; init; }

    public required string DefaultLocale { get; init; }

    /// <summary>The HMAC key clinic requests are signed with. Shown to the clinic once, at creation or rotation.</summary>
    public required string WebhookSecret { get; init; }

    /// <summary>The secret the last rotation replaced, while it still verifies requests (see <see cref="Security.WebhookSecrets"/>).</summary>
    public RetiringSecret? RetiringWebhookSecret { get; init; }

    /// <summary>Per-clinic text for a stage, keyed by <see cref="TemplateOverrideKey"/>.</summary>
    public IReadOnlyDictionary<string, string> TemplateOverrides { get; init; } = new Dictionary<string, string>();

    public required Instant CreatedAt { get; init; }

    public static string TemplateOverrideKey(string stageId, string locale) => $"{stageId}:{locale}";

    /// <summary>The id and name only: a record prints every member, and the webhook secret must never reach a log.</summary>
    public override string ToString() => $"Clinic {{ Id = {Id}, Name = {Name} }}";
}

/// <summary>A replaced webhook secret and the instant (exclusive) until which it still verifies requests.</summary>
public sealed record RetiringSecret(string Secret, Instant AcceptedUntil)
{
    /// <summary>Never the secret itself: records print every member, and this one may end up in a log.</summary>
    public override string ToString() => $"RetiringSecret {{ AcceptedUntil = {AcceptedUntil} }}";
}
