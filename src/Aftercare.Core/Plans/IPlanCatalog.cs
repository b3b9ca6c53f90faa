using Aftercare.Core.Treatments;

namespace Aftercare.Core.Plans;

public interface IPlanCatalog
{
    IReadOnlyList<Plan> All { get; }

    Plan? Find(string planId);

    /// <summary>The plan that fits the treatment's device, needle depth and area.</summary>
    Plan Choose(TreatmentDetails details);
}
