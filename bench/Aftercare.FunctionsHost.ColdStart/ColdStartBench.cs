using Aftercare.Testing;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.ColdStart;

/// <summary>
/// Cold start of the app against an empty isolated worker with the same packages (issue 16): both launched by the local
/// Functions host, alternating (which one goes first swaps every pair), with an Azurite of its own: the Table service for
/// the app's health check and tables, the Queue service as the host's storage (its queue trigger listens there, as in
/// Azure). Measured, never asserted. The one measurement both the bench's own command and the load harness's
/// <c>coldstart</c> part run.
/// </summary>
public static class ColdStartBench
{
    /// <summary>
    /// Runs one uncounted pair, then <see cref="ColdStartOptions.Pairs"/> alternating pairs, writing a line per pair and
    /// the summary (<see cref="ColdStartSummary.Describe"/>) to <paramref name="output"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A worker output is missing (<see cref="ColdStartOptions.EnsureBuilt"/>), or a first answer was not a success.</exception>
    /// <exception cref="OperationCanceledException">A worker was not ready within a minute, or <paramref name="cancellationToken"/> fired.</exception>
    public static async Task<ColdStartSummary> RunAsync(ColdStartOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Pairs, 1);
        options.EnsureBuilt();

        // Warnings and errors of the host and the workers only (verbose: everything), so a worker that fails to start says why.
        using var logs = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(options.Verbose ? LogLevel.Trace : LogLevel.Warning));
        await using var azurite = await AzuriteServer.StartInMemoryAsync();
        await using var queues = await AzuriteQueues.StartAsync();
        var settings = Settings(azurite.ConnectionString, queues.ConnectionString, options.Settings);

        // One pair first, not counted: the app creates its tables in this Azurite (they exist in Azure after the first
        // start) and both apps' files reach the OS cache.
        await ColdStartRun.MeasureAsync(options.AppDirectory, options.Path, settings, logs, cancellationToken);
        await ColdStartRun.MeasureAsync(options.EmptyDirectory, options.Path, settings, logs, cancellationToken);

        var app = new List<ColdStartRun>();
        var empty = new List<ColdStartRun>();
        for (var pair = 1; pair <= options.Pairs; pair++)
        {
            if (pair % 2 == 1)
            {
                app.Add(await ColdStartRun.MeasureAsync(options.AppDirectory, options.Path, settings, logs, cancellationToken));
                empty.Add(await ColdStartRun.MeasureAsync(options.EmptyDirectory, options.Path, settings, logs, cancellationToken));
            }
            else
            {
                empty.Add(await ColdStartRun.MeasureAsync(options.EmptyDirectory, options.Path, settings, logs, cancellationToken));
                app.Add(await ColdStartRun.MeasureAsync(options.AppDirectory, options.Path, settings, logs, cancellationToken));
            }

            await output.WriteLineAsync(ColdStartSummary.DescribePair(pair, app[^1], empty[^1]));
        }

        var summary = new ColdStartSummary(app, empty, options.Path);
        foreach (var line in summary.Describe())
        {
            await output.WriteLineAsync(line);
        }

        return summary;
    }

    private static Dictionary<string, string?> Settings(string storageConnectionString, string hostStorageConnectionString, IReadOnlyDictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>(TestKeys.AppSettings, StringComparer.Ordinal)
        {
            ["AzureWebJobsStorage"] = hostStorageConnectionString,
            ["Aftercare__Storage__ConnectionString"] = storageConnectionString,

            // Twilio configured, as in Azure (the SDK client is built at start-up); nothing calls it during a cold start.
            ["Aftercare__Twilio__AccountSid"] = "AC00000000000000000000000000000000",
            ["Aftercare__Twilio__AuthToken"] = "cold-start-bench",
            ["Aftercare__Twilio__BaseUri"] = "http://127.0.0.1:9",

            // No timer may fire inside a measurement.
            ["AzureWebJobs.DispatchDueMessages.Disabled"] = "true",
            ["AzureWebJobs.DeliverClinicAlerts.Disabled"] = "true",
            ["AzureWebJobs.EraseExpiredClientData.Disabled"] = "true",

            // The app prints each start-up step's time (a stopwatch read per step; the empty worker ignores it).
            ["AFTERCARE_STARTUP_TIMING"] = "1",
        };
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }

        return settings;
    }
}
