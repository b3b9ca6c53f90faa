using NodaTime;

namespace Aftercare.Core.Plans;

/// <summary>An aftercare plan: the staged texts a client receives after one kind of treatment. Plans are data (one JSON file each).</summary>
public sealed record Plan(string Id, string Title, IReadOnlyList<PlanStage> Stages);

/// <summary>One text of a plan: when it goes, how long it stays worth sending, and its words per locale.</summary>
public sealed record PlanStage(
    string Id,
    StageTiming Timing,
    Duration FreshFor,
    IReadOnlyDictionary<string, string> Templates,
    IReadOnlyList<string> Sources,
    bool CancelOnRebook);

/// <summary>When a stage falls due, relative to the treatment.</summary>
public abstract record StageTiming;

/// <summary>A fixed time after the treatment (e.g. at once).</summary>
public sealed record AfterTreatment(Duration Offset) : StageTiming;

/// <summary>Day N after the treatment's local date, at a local time of day.</summary>
public sealed record OnLocalDay(int Day, LocalTime Time) : StageTiming;
