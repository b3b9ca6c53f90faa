using Aftercare.Core.Plans;

namespace Aftercare.Functions.Hosting;

internal static class PlanFiles
{
    /// <summary>
    /// Loads every plan shipped beside the app. A bad plan throws <see cref="PlanValidationException"/> naming the file
    /// and field, which stops start-up: better no app than one that texts wrong advice.
    /// </summary>
    public static PlanCatalog Load(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new PlanFile(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"No plan files in {directory}.");
        }

        return PlanCatalog.Load(files);
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "plans");
}
