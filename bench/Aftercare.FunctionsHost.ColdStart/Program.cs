using System.Diagnostics;
using System.Globalization;
using Aftercare.FunctionsHost;

// Cold start of an isolated worker under the local host, measured (not asserted), from the start of the host: its
// servers up (worker launch begins) → worker ready (handshake done, functions loaded) → first HTTP 200 on a route. One run at a time, each with a fresh host and worker process.
//   dotnet bench/Aftercare.FunctionsHost.ColdStart/bin/Release/net10.0/Aftercare.FunctionsHost.ColdStart.dll \
//     --app <worker output folder> [--path api/health] [--runs 5] [--setting Name=Value]...
var app = Argument("--app") ?? throw new ArgumentException("--app <worker output folder> is required.");
var path = Argument("--path") ?? "api/echo/cold-start";
var runs = int.Parse(Argument("--runs") ?? "5", CultureInfo.InvariantCulture);
var settings = args.Select((a, i) => (a, i)).Where(p => p.a == "--setting" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);

var serversUp = new List<double>();
var ready = new List<double>();
var firstOk = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var clock = Stopwatch.StartNew();
    await using var host = new FunctionsHost(new FunctionsHostOptions { AppDirectory = Path.GetFullPath(app), AppSettings = settings });
    await host.StartAsync();
    serversUp.Add(clock.Elapsed.TotalMilliseconds);
    var worker = await host.WaitForWorkerAsync();
    ready.Add(clock.Elapsed.TotalMilliseconds);
    using var http = new HttpClient { BaseAddress = host.BaseAddress };
    http.DefaultRequestHeaders.Add("x-functions-key", host.MasterKey);
    using var response = await http.GetAsync(path);
    if (!response.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"GET {path} answered {(int)response.StatusCode}; pick a route that answers 200 with --path.");
        return 1;
    }

    firstOk.Add(clock.Elapsed.TotalMilliseconds);
    Console.WriteLine($"run {run}: servers up {serversUp[^1]:F0} ms, worker ready {ready[^1]:F0} ms, first 200 {firstOk[^1]:F0} ms ({worker.Functions.Count} functions)");
}

Console.WriteLine($"servers up:     {Summary(serversUp)}");
Console.WriteLine($"worker ready:   {Summary(ready)}");
Console.WriteLine($"first HTTP 200: {Summary(firstOk)}");
return 0;

string? Argument(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string Summary(List<double> values)
{
    var sorted = values.Order().ToList();
    return $"min {sorted[0]:F0} ms, median {sorted[sorted.Count / 2]:F0} ms, max {sorted[^1]:F0} ms over {sorted.Count} runs";
}
