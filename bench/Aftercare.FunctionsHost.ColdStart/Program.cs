using System.Globalization;
using Aftercare.FunctionsHost.ColdStart;
using Aftercare.Testing;
using Microsoft.Extensions.Logging;

// Cold start of the app against an empty isolated worker with the same packages (issue 16), both launched by the local
// Functions host, alternating (which one goes first swaps every pair), with an Azurite of its own for the app's health
// check. Measured, never asserted. Build both apps and this bench in Release first (README, "Measurements"):
//   dotnet bench/Aftercare.FunctionsHost.ColdStart/bin/Release/net10.0/Aftercare.FunctionsHost.ColdStart.dll \
//     [--pairs 10] [--path api/health] [--app <worker output>] [--empty <worker output>] [--setting Name=Value]...
var pairs = int.Parse(Argument("--pairs") ?? "10", CultureInfo.InvariantCulture);
var path = Argument("--path") ?? "api/health";
var app = Path.GetFullPath(Argument("--app") ?? Path.Combine(RepositoryPaths.Root, "src/Aftercare.Functions/bin/Release/net10.0"));
var empty = Path.GetFullPath(Argument("--empty") ?? Path.Combine(RepositoryPaths.Root, "bench/Aftercare.EmptyWorker/bin/Release/net10.0"));

// Warnings and errors of the host and the workers only (--verbose: everything), so a worker that fails to start says why.
using var logs = LoggerFactory.Create(logging => logging
    .AddSimpleConsole(console => console.SingleLine = true)
    .SetMinimumLevel(args.Contains("--verbose") ? LogLevel.Trace : LogLevel.Warning));
await using var azurite = await AzuriteServer.StartInMemoryAsync();
var settings = new Dictionary<string, string?>(TestKeys.AppSettings)
{
    ["Aftercare__Storage__ConnectionString"] = azurite.ConnectionString,

    // Twilio configured, as in Azure (the SDK client is built at start-up); nothing calls it during a cold start.
    ["Aftercare__Twilio__AccountSid"] = "AC00000000000000000000000000000000",
    ["Aftercare__Twilio__AuthToken"] = "cold-start-bench",
    ["Aftercare__Twilio__BaseUri"] = "http://127.0.0.1:9",

    // No timer may fire inside a measurement.
    ["AzureWebJobs.DispatchDueMessages.Disabled"] = "true",
    ["AzureWebJobs.DeliverClinicAlerts.Disabled"] = "true",
    ["AzureWebJobs.EraseExpiredClientData.Disabled"] = "true",
};
foreach (var (name, value) in Settings())
{
    settings[name] = value;
}

// One pair first, not counted: the app creates its tables in this Azurite (they exist in Azure after the first start)
// and both apps' files reach the OS cache.
await ColdStartRun.MeasureAsync(app, path, settings, logs);
await ColdStartRun.MeasureAsync(empty, path, settings, logs);

var appRuns = new List<ColdStartRun>();
var emptyRuns = new List<ColdStartRun>();
for (var pair = 1; pair <= pairs; pair++)
{
    if (pair % 2 == 1)
    {
        appRuns.Add(await ColdStartRun.MeasureAsync(app, path, settings, logs));
        emptyRuns.Add(await ColdStartRun.MeasureAsync(empty, path, settings, logs));
    }
    else
    {
        emptyRuns.Add(await ColdStartRun.MeasureAsync(empty, path, settings, logs));
        appRuns.Add(await ColdStartRun.MeasureAsync(app, path, settings, logs));
    }

    Console.WriteLine(
        $"pair {pair,2}: app first 200 {appRuns[^1].FirstOkMs,6:F0} ms (ready {appRuns[^1].WorkerReadyMs,6:F0}), " +
        $"empty first 200 {emptyRuns[^1].FirstOkMs,6:F0} ms (ready {emptyRuns[^1].WorkerReadyMs,6:F0}), ratio {appRuns[^1].FirstOkMs / emptyRuns[^1].FirstOkMs:F2}");
}

var appMedian = Percentile(appRuns.Select(r => r.FirstOkMs), 0.5);
var emptyMedian = Percentile(emptyRuns.Select(r => r.FirstOkMs), 0.5);
Console.WriteLine($"app   ({appRuns[0].Functions} functions): first 200 median {appMedian:F0} ms, p90 {Percentile(appRuns.Select(r => r.FirstOkMs), 0.9):F0} ms; worker ready median {Percentile(appRuns.Select(r => r.WorkerReadyMs), 0.5):F0} ms");
Console.WriteLine($"empty ({emptyRuns[0].Functions} function):  first 200 median {emptyMedian:F0} ms, p90 {Percentile(emptyRuns.Select(r => r.FirstOkMs), 0.9):F0} ms; worker ready median {Percentile(emptyRuns.Select(r => r.WorkerReadyMs), 0.5):F0} ms");
Console.WriteLine($"cold start ratio (median app / median empty, first 200 from {path}): {appMedian / emptyMedian:F2} over {pairs} pairs");
return 0;

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

IEnumerable<(string Name, string? Value)> Settings() =>
    args.Select((a, i) => (a, i)).Where(p => p.a == "--setting" && p.i + 1 < args.Length)
        .Select(p => args[p.i + 1].Split('=', 2)).Select(kv => (kv[0], kv.Length > 1 ? (string?)kv[1] : null));

// Nearest-rank percentile.
static double Percentile(IEnumerable<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
