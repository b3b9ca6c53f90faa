using System.Diagnostics;
using Aftercare.FunctionsHost;
using Microsoft.Extensions.Logging;

namespace Aftercare.Chaos;

/// <summary>
/// Local Functions hosts, each running a real isolated worker process (<c>dotnet Aftercare.Functions.dll</c>) that drains
/// the dispatch queue's shard work items; the first host's dispatch timer fans them out every second. <see cref="KillOneAsync"/> SIGKILLs the worker process of a random host whose
/// worker is ready; the host starts another, as the Functions host restarts a dead worker. A worker that exits on its
/// own (say, it started while storage was down) is restarted by its host too. Used from one loop only.
/// </summary>
internal sealed class DispatcherFleet(string appDirectory, IReadOnlyDictionary<string, string?> settings, int size) : IAsyncDisposable
{
    // Worker starts, exits and readiness, the hosts' warnings and the workers' errors: what a failed run is read from.
    // (In-doubt sends and lost claims are the workers' warnings here by design; the verdict counts them.)
    private readonly ILoggerFactory _logging = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Error)
        .AddFilter("Host", LogLevel.Warning)
        .AddFilter("Host.Worker", LogLevel.Information)
        .AddFilter("Worker.Console", LogLevel.Information)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "'[chaos] 'HH:mm:ss.fff ";
        }));

    private readonly List<FunctionsHost.FunctionsHost> _hosts = [];
    private readonly HashSet<int> _killed = [];
    private readonly HashSet<int> _seen = [];

    public int Kills { get; private set; }

    /// <summary>Worker processes the hosts started beyond the first of each and the replacements of killed ones: restarts after a worker exited on its own.</summary>
    public int Restarts => Math.Max(0, _seen.Count - _hosts.Count - Kills);

    /// <summary>The last lines the workers logged before one exited on its own, for the report when something goes wrong.</summary>
    public string? LastExitOutput { get; private set; }

    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < size; i++)
        {
            var host = new FunctionsHost.FunctionsHost(new FunctionsHostOptions
            {
                AppDirectory = appDirectory,
                AppSettings = i == 0 ? settings : new Dictionary<string, string?>(settings) { ["AzureWebJobs.DispatchDueMessages.Disabled"] = "true" },
                LoggerFactory = _logging,
                RestartDelay = TimeSpan.FromMilliseconds(200),
                MaxRestartDelay = TimeSpan.FromSeconds(2),
            });
            host.LogReceived += entry =>
            {
                if (entry.Category == "Worker.Console" && entry.Message.Contains("Unhandled exception", StringComparison.Ordinal))
                {
                    LastExitOutput = entry.Message;
                }
            };
            _hosts.Add(host);
            await host.StartAsync(cancellationToken);
        }
    }

    /// <summary>Notes the worker processes now running (for <see cref="Restarts"/>).</summary>
    public Task SuperviseAsync()
    {
        foreach (var host in _hosts)
        {
            if (host.WorkerProcessId is { } pid)
            {
                _seen.Add(pid);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>SIGKILLs the worker of one random host whose worker is ready. False when none is ready yet.</summary>
    public async Task<bool> KillOneAsync(Random random)
    {
        await SuperviseAsync();
        var ready = new List<int>();
        foreach (var host in _hosts)
        {
            if (await ReadyWorkerAsync(host) is { } pid)
            {
                ready.Add(pid);
            }
        }

        if (ready.Count == 0)
        {
            return false;
        }

        var processId = ready[random.Next(ready.Count)];

        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(); // SIGKILL on Linux: no shutdown code runs in the worker.
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false; // It exited on its own in the meantime.
        }

        _killed.Add(processId);
        Kills++;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
        _logging.Dispose();
    }

    /// <summary>The process id of the host's worker when it has finished its handshake (it is dispatching), else null.</summary>
    private async Task<int?> ReadyWorkerAsync(FunctionsHost.FunctionsHost host)
    {
        using var glance = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        try
        {
            var worker = await host.WaitForWorkerAsync(glance.Token);
            return worker.ProcessId is { } pid && !_killed.Contains(pid) ? pid : null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
