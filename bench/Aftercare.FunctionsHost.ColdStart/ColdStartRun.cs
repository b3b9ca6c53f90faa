using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.ColdStart;

/// <summary>
/// One cold start, in milliseconds from the host's start: worker ready (handshake done, functions loaded) and first HTTP
/// 200; and the worker's own start-up timing line (<c>Start-up timing: build 120 ms, …; total 900 ms</c>, printed by the
/// app when <c>AFTERCARE_STARTUP_TIMING=1</c>), or null when it printed none (the empty worker).
/// </summary>
public sealed record ColdStartRun(double WorkerReadyMs, double FirstOkMs, int Functions, string? StartupTiming)
{
    /// <summary>The prefix of the app's start-up timing line (src/Aftercare.Functions/Hosting/StartupTiming.cs).</summary>
    public const string StartupTimingPrefix = "Start-up timing: ";

    /// <summary>
    /// Starts a fresh local host that launches the worker in <paramref name="appDirectory"/>, waits for it, and GETs
    /// <paramref name="path"/> once. The host and worker are stopped before it returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">The first answer was not a success.</exception>
    /// <exception cref="OperationCanceledException">The worker was not ready within a minute (its log is on the console), or <paramref name="cancellationToken"/> fired.</exception>
    public static async Task<ColdStartRun> MeasureAsync(
        string appDirectory, string path, IReadOnlyDictionary<string, string?> settings, ILoggerFactory logs, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var clock = Stopwatch.StartNew();
        await using var host = new FunctionsHost(new FunctionsHostOptions { AppDirectory = appDirectory, AppSettings = settings, LoggerFactory = logs });
        await host.StartAsync(timeout.Token);
        var worker = await host.WaitForWorkerAsync(timeout.Token);
        var ready = clock.Elapsed.TotalMilliseconds;
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} on {appDirectory} answered {(int)response.StatusCode}.");
        }

        var firstOk = clock.Elapsed.TotalMilliseconds;

        // The worker prints the line before it connects to the host, so it is in the log by now.
        var timing = host.Logs.Select(entry => entry.Message).FirstOrDefault(m => m.StartsWith(StartupTimingPrefix, StringComparison.Ordinal));
        return new ColdStartRun(ready, firstOk, worker.Functions.Count, timing?[StartupTimingPrefix.Length..]);
    }
}
