using Aftercare.Core.Treatments;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// A stage to seed: due this long from the rig's clock, and worth sending for this long after that; its text unless the
/// rig's own (unique per message, with the opt-out line).
/// </summary>
public sealed record StagePlan(string StageId, Duration DueIn, Duration? FreshFor = null, string? Body = null);

/// <summary>A treatment written through the repositories, with its messages as they were first stored.</summary>
public sealed record SeededTreatment(Treatment Treatment, IReadOnlyList<OutboundMessage> Messages)
{
    public string ClinicId => Treatment.ClinicId;

    public string TreatmentId => Treatment.TreatmentId;

    public string Phone => Treatment.Client.Phone;

    public OutboundMessage Message(string stageId) => Messages.Single(m => m.StageId == stageId);
}
