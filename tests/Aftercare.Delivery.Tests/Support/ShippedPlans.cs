using Aftercare.Core.Plans;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>The plan files the app ships, as copied beside the tests, loaded once.</summary>
public static class ShippedPlans
{
    private static readonly Lazy<PlanCatalog> LazyCatalog = new(() => PlanCatalog.Load(
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "plans"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new PlanFile(Path.GetFileName(path), File.ReadAllText(path)))));

    public static PlanCatalog Catalog => LazyCatalog.Value;
}
