using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aftercare.FunctionsHost.Worker;

/// <summary>
/// Starts worker processes so that they die with the host, even when the host is killed with SIGKILL: on Linux each
/// worker is started through <c>setpriv --pdeathsig KILL</c>. Linux sends that signal when the <em>thread</em> that
/// forked the child exits, and .NET forks on the thread that calls <see cref="Process.Start()"/>, so every start
/// happens on one dedicated thread that lives as long as this launcher (a thread-pool thread may retire at any time
/// and take the worker with it).
/// </summary>
internal sealed class WorkerProcessLauncher : IDisposable
{
    private readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> _starts = [];

    public WorkerProcessLauncher()
    {
        DeathSignalWrapper = OperatingSystem.IsLinux() ? FindOnPath("setpriv") : null;
        var thread = new Thread(Run) { IsBackground = true, Name = "Functions worker launcher" };
        thread.Start();
    }

    /// <summary>The <c>setpriv</c> executable, or null where it is missing (then a killed host can orphan its worker).</summary>
    public string? DeathSignalWrapper { get; }

    /// <summary>Builds the start info for <paramref name="fileName"/> with <paramref name="arguments"/>, wrapped in the death-signal guard.</summary>
    public ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        if (DeathSignalWrapper is null)
        {
            info.FileName = fileName;
        }
        else
        {
            info.FileName = DeathSignalWrapper;
            foreach (var argument in new[] { "--pdeathsig", "KILL", "--", fileName })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Starts the process on the launcher thread.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The executable could not be started.</exception>
    public Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _starts.Add((process, started));
        return started.Task;
    }

    /// <summary>Ends the launcher thread: call it only once no worker should outlive it.</summary>
    public void Dispose() => _starts.CompleteAdding();

    private void Run()
    {
        foreach (var (process, started) in _starts.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
