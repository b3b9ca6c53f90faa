using System.Globalization;
using Aftercare.Testing;

namespace Aftercare.FunctionsHost.ColdStart;

/// <summary>
/// What a cold-start measurement compares: two worker outputs (folders holding <c>worker.config.json</c>, a build or a
/// publish output), how many alternating pairs, the path whose first HTTP 200 ends a start, and app settings added to
/// the bench's own (<see cref="ColdStartBench"/>).
/// </summary>
public sealed record ColdStartOptions
{
    /// <summary>The app's worker output; by default the Release build of <c>src/Aftercare.Functions</c>.</summary>
    public string AppDirectory { get; init; } = System.IO.Path.Combine(RepositoryPaths.Root, "src", "Aftercare.Functions", "bin", "Release", "net10.0");

    /// <summary>The empty worker's output; by default the Release build of <c>bench/Aftercare.EmptyWorker</c>.</summary>
    public string EmptyDirectory { get; init; } = System.IO.Path.Combine(RepositoryPaths.Root, "bench", "Aftercare.EmptyWorker", "bin", "Release", "net10.0");

    /// <summary>Measured pairs (one uncounted pair comes first); the issue asks for at least 10.</summary>
    public int Pairs { get; init; } = 10;

    /// <summary>The route, relative to the host's address, whose first success ends a start.</summary>
    public string Path { get; init; } = "api/health";

    /// <summary>App settings added to (or replacing) the bench's own, for both apps.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Every log line of the hosts and workers on the console (otherwise warnings and errors only).</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// Reads <c>[--pairs 10] [--path api/health] [--app &lt;worker output&gt;] [--empty &lt;worker output&gt;]
    /// [--setting Name=Value]... [--verbose]</c>; anything else is left to the caller.
    /// </summary>
    /// <exception cref="FormatException"><c>--pairs</c> is not a whole number.</exception>
    public static ColdStartOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var defaults = new ColdStartOptions();
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--setting")
            {
                var pair = args[i + 1].Split('=', 2);
                settings[pair[0]] = pair.Length > 1 ? pair[1] : null;
            }
        }

        return new ColdStartOptions
        {
            AppDirectory = System.IO.Path.GetFullPath(Value("--app") ?? defaults.AppDirectory),
            EmptyDirectory = System.IO.Path.GetFullPath(Value("--empty") ?? defaults.EmptyDirectory),
            Pairs = Value("--pairs") is { } pairs ? int.Parse(pairs, CultureInfo.InvariantCulture) : defaults.Pairs,
            Path = Value("--path") ?? defaults.Path,
            Settings = settings,
            Verbose = args.Contains("--verbose"),
        };

        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Fails before anything starts when either worker output is missing, naming the build that makes it.</summary>
    /// <exception cref="InvalidOperationException">A folder holds no <c>worker.config.json</c>.</exception>
    public void EnsureBuilt()
    {
        Check(AppDirectory, "dotnet build src/Aftercare.Functions -c Release", "--app");
        Check(EmptyDirectory, "dotnet build bench/Aftercare.EmptyWorker -c Release", "--empty");

        static void Check(string directory, string build, string option)
        {
            if (!File.Exists(System.IO.Path.Combine(directory, "worker.config.json")))
            {
                throw new InvalidOperationException(
                    $"No worker build in {directory} (no worker.config.json): run `{build}` from the repository root, or pass {option} <worker output>.");
            }
        }
    }
}
