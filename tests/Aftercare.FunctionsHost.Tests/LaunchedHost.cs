namespace Aftercare.FunctionsHost.Tests;

/// <summary>A <see cref="FunctionsHost"/> running the test worker as a child process on free ports, ready, with a client.</summary>
public sealed class LaunchedHost : IAsyncDisposable
{
    private LaunchedHost(FunctionsHost host, LogCapture logs, WorkerInfo worker)
    {
        Host = host;
        HostLogs = logs;
        Worker = worker;
        Http = new HttpClient { BaseAddress = host.BaseAddress };
    }

    public FunctionsHost Host { get; }

    /// <summary>What the host itself logged (and the worker's logs it forwarded through its logger).</summary>
    public LogCapture HostLogs { get; }

    /// <summary>The first worker, as it was when ready.</summary>
    public WorkerInfo Worker { get; }

    public HttpClient Http { get; }

    public static async Task<LaunchedHost> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? queueMessageLease = null)
    {
        var logs = new LogCapture();
        var all = new Dictionary<string, string?>
        {
            ["TickSchedule"] = "0 0 0 1 1 *",
            ["SlowTickSchedule"] = "0 0 0 1 1 *",
            ["FanOutSchedule"] = "0 0 0 1 1 *",
            ["WorkQueue"] = "work",
            ["WorkDoneQueue"] = "work-done",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }

        var host = new FunctionsHost(new FunctionsHostOptions
        {
            AppDirectory = TestWorkerOutput.Directory,
            AppSettings = all,
            LoggerFactory = logs.Factory,
            QueueMessageLease = queueMessageLease ?? TimeSpan.FromMinutes(10),
        });
        try
        {
            await host.StartAsync();
            using var deadline = new CancellationTokenSource(Eventually.Deadline);
            var worker = await host.WaitForWorkerAsync(deadline.Token);
            return new LaunchedHost(host, logs, worker);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        HostLogs.Factory.Dispose();
    }
}
