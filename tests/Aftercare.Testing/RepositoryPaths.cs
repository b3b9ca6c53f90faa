using System.Reflection;

namespace Aftercare.Testing;

/// <summary>Finds the repository's own files (the solution root, its npm tools, the built worker) from a test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>
    /// The isolated worker's build output for this test configuration: <c>functions.metadata</c>, <c>host.json</c>,
    /// <c>worker.config.json</c> and <c>Aftercare.Functions.dll</c>. A project that needs it references
    /// src/Aftercare.Functions so it is built first.
    /// </summary>
    public static string FunctionsAppDirectory
    {
        get
        {
            var path = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "AftercareFunctionsAppDirectory")?.Value;
            return path is not null && File.Exists(Path.Combine(path, "functions.metadata"))
                ? path
                : throw new InvalidOperationException($"The worker is not built at '{path}'. Build src/Aftercare.Functions in the same configuration first.");
        }
    }

    public static string NodeBin(string tool)
    {
        var path = Path.Combine(Root, "node_modules", ".bin", tool);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"'{tool}' is not installed at {path}. Run 'npm ci' in the repository root (scripts/test.sh does).");
        }

        return path;
    }

    public static string NodeModule(params string[] relative) =>
        Path.Combine([Root, "node_modules", .. relative]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aftercare.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Aftercare.sln not found above " + AppContext.BaseDirectory);
    }
}
