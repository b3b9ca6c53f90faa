using System.Diagnostics;
using Aftercare.FunctionsHost.Logging;

namespace Aftercare.FunctionsHost.Worker;

/// <summary>A launched worker: its process id, a task for its exit, and its output lines sent to the log sink.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process) => _process = process;

    public int Id { get; private set; }

    /// <summary>Completes with the exit code when the process has exited.</summary>
    public Task<int> Exited => _exited.Task;

    public static async Task<WorkerProcess> StartAsync(WorkerProcessLauncher launcher, ProcessStartInfo info, WorkerLogSink logs)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.Exited += (_, _) => worker._exited.TrySetResult(SafeExitCode(process));
        try
        {
            await launcher.StartAsync(process);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        worker.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;

        void Forward(string? line)
        {
            if (line is not null)
            {
                logs.AddConsoleLine(line);
            }
        }
    }

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Kills the worker and anything it started, and waits (up to <paramref name="timeout"/>) for it to go.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited in between.
        }

        try
        {
            await _exited.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Reaped later by the runtime; nothing more can be done here.
        }
    }

    public void Dispose() => _process.Dispose();

    private static int SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
