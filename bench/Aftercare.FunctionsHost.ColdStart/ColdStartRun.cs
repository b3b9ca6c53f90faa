using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.ColdStart;

/// <summary>One cold start, in milliseconds from the host's start: worker ready (handshake done, functions loaded) and first HTTP 200.</summary>
internal sealed record ColdStartRun(double WorkerReadyMs, double FirstOkMs, int Functions)
{
    /// <summary>
    /// Starts a fresh local host that launches the worker in <paramref name="appDirectory"/>, waits for it, and GETs
    /// <paramref name="path"/> once. The host and worker are stopped before it returns.
    /// </summary>
    /// <exception cref="InvalidOperationException">The first answer was not a success.</exception>
    /// <exception cref="OperationCanceledException">The worker was not ready within a minute (its log is on the console).</exception>
    public static async Task<ColdStartRun> MeasureAsync(string appDirectory, string path, IReadOnlyDictionary<string, string?> settings, ILoggerFactory logs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
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

        return new ColdStartRun(ready, clock.Elapsed.TotalMilliseconds, worker.Functions.Count);
    }
}
