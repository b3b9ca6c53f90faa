using System.Diagnostics;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The deployable package, made once per test run by <c>scripts/package.sh</c> (<c>dotnet publish</c>, what zip deploy
/// and <c>azd deploy</c> ship) into a temporary folder: linux-x64, ReadyToRun. That needs a build for the runtime
/// identifier, which the test run's build is not, so the script builds one (into <c>bin/Release/net10.0/linux-x64</c>;
/// the referenced libraries are up to date and left as they are), which takes a minute or two; the build output other
/// tests run the worker from is not rewritten.
/// </summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "aftercare-package-" + Guid.NewGuid().ToString("N"));

    /// <summary>The published folder: what the Functions host loads.</summary>
    public string AppDirectory => Path.Combine(_root, "app");

    /// <summary>The same files zipped, as deployed.</summary>
    public string ZipPath => Path.Combine(_root, "aftercare.zip");

    public async Task InitializeAsync()
    {
        var configuration = new DirectoryInfo(RepositoryPaths.FunctionsAppDirectory).Parent!.Name;
        if (configuration != "Release")
        {
            throw new InvalidOperationException($"scripts/package.sh publishes the Release build; these tests were built as {configuration}. Run them with --configuration Release.");
        }

        var info = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepositoryPaths.Root, "scripts", "package.sh"), _root },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/package.sh did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/package.sh failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }
}
