namespace Aftercare.Testing;

/// <summary>Finds the repository's own files (the solution root and its npm tools) from a test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

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
