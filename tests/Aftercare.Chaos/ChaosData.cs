using Aftercare.Core.Clinics;

namespace Aftercare.Chaos;

/// <summary>What the run seeded: the clinic, and every message with the body that identifies it at the stand-in.</summary>
internal sealed record ChaosData(Clinic Clinic, IReadOnlyList<string> TreatmentIds, IReadOnlyList<SeededMessage> Messages);

/// <summary>One seeded message. Its body is unique in the run, so the stand-in's record of it can be found by body.</summary>
internal sealed record SeededMessage(string TreatmentId, string StageId, string Body);
