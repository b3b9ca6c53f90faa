using Microsoft.Extensions.Logging;

namespace Aftercare.LoadHarness;

/// <summary>
/// Local Functions hosts, each launching the real isolated worker (<c>dotnet Aftercare.Functions.dll</c>) as its own
/// process, with the same app settings: as many worker processes as Flex Consumption would run instances.
/// </summary>
internal sealed class WorkerFleet : IAsyncDisposable
{
    private readonly List<FunctionsHost.FunctionsHost> _hosts = [];
    private readonly ILoggerFactory _logging = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Error)
        .AddFilter("Host", LogLevel.Warning)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "'[load] 'HH:mm:ss.fff ";
        }));

    public IReadOnlyList<FunctionsHost.FunctionsHost> Hosts => _hosts;

    public static async Task<WorkerFleet> StartAsync(string appDirectory, IReadOnlyDictionary<string, string?> settings, int size, CancellationToken cancellationToken)
    {
        var fleet = new WorkerFleet();
        for (var i = 0; i < size; i++)
        {
            var host = new FunctionsHost.FunctionsHost(new FunctionsHost.FunctionsHostOptions
            {
                AppDirectory = appDirectory,
                AppSettings = settings,
                LoggerFactory = fleet._logging,
            });
            fleet._hosts.Add(host);
            await host.StartAsync(cancellationToken);
        }

        foreach (var host in fleet._hosts)
        {
            await host.WaitForWorkerAsync(cancellationToken);
        }

        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _logging.Dispose();
    }
}
