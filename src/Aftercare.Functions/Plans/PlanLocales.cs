using Aftercare.Core.Plans;

namespace Aftercare.Functions.Plans;

internal static class PlanLocales
{
    /// <summary>
    /// The locales every stage of every loaded plan has a text in (today "en" and "es"), in ordinal order: the only
    /// locales a client, a clinic default, a template override or a preview may name, so the locale a registration
    /// reports is the one its texts are written in.
    /// </summary>
    public static IReadOnlyList<string> Supported(IPlanCatalog plans)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var stages = plans.All.SelectMany(plan => plan.Stages).ToList();
        return stages.Count == 0
            ? []
            : [.. stages.Skip(1).Aggregate(stages[0].Templates.Keys.ToHashSet(StringComparer.Ordinal), (common, stage) =>
            {
                common.IntersectWith(stage.Templates.Keys);
                return common;
            }).Order(StringComparer.Ordinal)];
    }
}
