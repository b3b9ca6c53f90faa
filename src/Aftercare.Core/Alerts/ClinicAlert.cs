using System.Text.RegularExpressions;
using NodaTime;

namespace Aftercare.Core.Alerts;

/// <summary>
/// One alert for a clinic's <c>alertWebhookUrl</c>, in the shape of issue 14, item 5:
/// <c>{ id, type, createdAt, clinicId, treatment {externalId, treatmentId}, client {firstName, phone},
/// reply? {text, receivedAt, triage, matchedRules}, message? {stage, status, errorCode} }</c>.
/// It holds a name, a phone and a reply's text: never log it; telemetry takes <see cref="Id"/>, <see cref="Type"/> and
/// <see cref="ClinicId"/> only. The outbox keeps them only while the alert may still be sent
/// (<see cref="WithoutClientData"/>).
/// </summary>
public sealed partial record ClinicAlert
{
    /// <summary>
    /// Deterministic for what it alerts about (e.g. <c>reply-{MessageSid}</c>, see <see cref="ClinicAlertIds"/>), so a
    /// repeated write stores one alert; also the <c>Idempotency-Key</c> the clinic receives. 1–128 of
    /// <c>[A-Za-z0-9_-]</c> (it is a Table Storage row key).
    /// </summary>
    public required string Id { get; init; }

    public required ClinicAlertType Type { get; init; }

    /// <summary>When what it alerts about happened (a reply's receipt, a text's failure), UTC. It also picks the outbox partition.</summary>
    public required Instant CreatedAt { get; init; }

    public required string ClinicId { get; init; }

    public required AlertTreatment Treatment { get; init; }

    public required AlertClient Client { get; init; }

    /// <summary>Present for <see cref="ClinicAlertType.ClientReplyUrgent"/> and <see cref="ClinicAlertType.ClientReply"/>.</summary>
    public AlertReply? Reply { get; init; }

    /// <summary>Present for <see cref="ClinicAlertType.MessageFailed"/>.</summary>
    public AlertMessage? Message { get; init; }

    /// <summary>An alert of <paramref name="type"/> about <paramref name="treatment"/> and its client, created at <paramref name="createdAt"/> (UTC).</summary>
    public static ClinicAlert About(Treatments.Treatment treatment, string id, ClinicAlertType type, Instant createdAt)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        return new ClinicAlert
        {
            Id = id,
            Type = type,
            CreatedAt = createdAt,
            ClinicId = treatment.ClinicId,
            Treatment = new AlertTreatment(treatment.ExternalId, treatment.TreatmentId),
            Client = new AlertClient(treatment.Client.FirstName, treatment.Client.Phone),
        };
    }

    /// <summary>
    /// True once <see cref="WithoutClientData"/> has removed the client's name, phone and reply text: such an alert is
    /// never sent. Every alert is written with the client's phone (a treatment always has one until it is erased).
    /// </summary>
    public bool IsClientDataErased => Client.Phone.Length == 0;

    /// <summary>
    /// This alert without the client's first name, phone and reply text (empty strings), keeping its ids, type, times,
    /// the triage verdict and matched rules and the failed message's stage, status and error code: what the outbox keeps
    /// once the alert has settled or the client's data was erased.
    /// </summary>
    public ClinicAlert WithoutClientData() => this with
    {
        Client = AlertClient.Erased,
        Reply = Reply is null ? null : Reply with { Text = string.Empty },
    };

    /// <summary>True when <paramref name="id"/> is a usable <see cref="Id"/>.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Never the name, phone or text: records print every member, and a record may end up in a log.</summary>
    public override string ToString() => $"ClinicAlert {{ Id = {Id}, Type = {Type.ToWire()}, ClinicId = {ClinicId} }}";

    [GeneratedRegex(@"\A[A-Za-z0-9_-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

/// <summary>The treatment an alert is about: the clinic's own id and ours.</summary>
public sealed record AlertTreatment(string ExternalId, string TreatmentId);

/// <summary>The client an alert is about: first name and canonical E.164 phone, for the clinic to call back.</summary>
public sealed record AlertClient(string FirstName, string Phone)
{
    /// <summary>No name, no phone: a client whose data was erased.</summary>
    public static AlertClient Erased { get; } = new(string.Empty, string.Empty);

    /// <summary>Never the name or number.</summary>
    public override string ToString() => "AlertClient { … }";
}

/// <summary>A client's reply: its text, when it arrived (UTC), the triage verdict and the rules that matched.</summary>
public sealed record AlertReply(string Text, Instant ReceivedAt, string Triage, IReadOnlyList<string> MatchedRules)
{
    /// <summary>Never the text.</summary>
    public override string ToString() => $"AlertReply {{ Triage = {Triage} }}";
}

/// <summary>A text that failed: its stage, its status (wire name) and the provider's error code.</summary>
public sealed record AlertMessage(string Stage, string Status, string? ErrorCode);

/// <summary>Deterministic alert ids, so writing the same alert twice stores it once.</summary>
public static class ClinicAlertIds
{
    /// <summary>For a reply: <c>reply-{MessageSid}</c> (Twilio SIDs are 34 letters and digits).</summary>
    public static string ForReply(string messageSid) => "reply-" + messageSid;

    /// <summary>For a failed text: <c>failed-{treatmentId}-{stageId}</c> (a stage fails at most once).</summary>
    public static string ForFailedMessage(string treatmentId, string stageId) => $"failed-{treatmentId}-{stageId}";

    /// <summary>
    /// For an opt-out: <c>optout-{treatmentId}-{sourceId}</c>, the source being the STOP reply's MessageSid or the stage
    /// a carrier refused (one STOP on a shared sender alerts each clinic once).
    /// </summary>
    public static string ForOptOut(string treatmentId, string sourceId) => $"optout-{treatmentId}-{sourceId}";
}
