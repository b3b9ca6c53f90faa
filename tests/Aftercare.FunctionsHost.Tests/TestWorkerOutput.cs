using Aftercare.Testing;

namespace Aftercare.FunctionsHost.Tests;

/// <summary>Where the test worker app's build output is: the folder a launched worker runs from.</summary>
public static class TestWorkerOutput
{
    /// <summary>tests/Aftercare.FunctionsHost.TestWorker/bin/&lt;same configuration as this test run&gt;/net10.0.</summary>
    public static string Directory
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var directory = Path.Combine(RepositoryPaths.Root, "tests", "Aftercare.FunctionsHost.TestWorker", "bin", configuration, "net10.0");
            if (!File.Exists(Path.Combine(directory, "worker.config.json")))
            {
                throw new InvalidOperationException($"The test worker is not built at {directory}.");
            }

            return directory;
        }
    }

    /// <summary>The host program, built next to this test assembly through the project reference.</summary>
    public static string HostProgram => Path.Combine(AppContext.BaseDirectory, "Aftercare.FunctionsHost.dll");
}
