using Aftercare.Core.Treatments;

namespace Aftercare.Core.Plans;

/// <summary>The plans loaded from their files, validated once, and the rule that picks one for a treatment.</summary>
public sealed class PlanCatalog : IPlanCatalog
{
    private readonly Dictionary<string, Plan> byId;

    private PlanCatalog(List<Plan> plans)
    {
        All = plans;
        byId = plans.ToDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<Plan> All { get; }

    /// <summary>Parses and validates every file; throws <see cref="PlanValidationException"/> naming the file and field.</summary>
    public static PlanCatalog Load(IEnumerable<PlanFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var plans = new List<Plan>();
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var plan = PlanParser.Parse(file);
            if (!origins.TryAdd(plan.Id, file.FileName))
            {
                throw new PlanValidationException(file.FileName, "id", $"'{plan.Id}' is already the id of {origins[plan.Id]}");
            }

            plans.Add(plan);
        }

        return new PlanCatalog(plans);
    }

    public Plan? Find(string planId) => byId.GetValueOrDefault(planId);

    /// <summary>The plan <see cref="PlanChoice"/> picks, or the default plan when the catalog lacks it.</summary>
    public Plan Choose(TreatmentDetails details) =>
        Find(PlanChoice.PlanIdFor(details))
        ?? Find(PlanIds.Default)
        ?? throw new InvalidOperationException($"No plan '{PlanChoice.PlanIdFor(details)}' and no '{PlanIds.Default}' plan is loaded.");
}
