using Aftercare.LoadHarness;
using Aftercare.Testing;

// Issue 16's load harness: prints figures, asserts nothing. Run from the repository root after a Release build:
//   dotnet run -c Release --project bench/Aftercare.LoadHarness -- [--parts roundtrips,throughput,burst,coldstart] [--texts 1600] [--burst 10000] [--latency-ms 200] [--max-sends-per-second 1000]
//     [--empty <worker output>] [--pairs 10]
var options = LoadOptions.Parse(args);
if (options.Parts.Contains("coldstart"))
{
    ColdStartPart.EnsureBuilt(options);
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

Console.WriteLine($"[load] app={options.AppDirectory} latency={options.Latency.TotalMilliseconds} ms, {options.InFlightPerWorker} in flight per worker, Twilio ceiling {options.MaxSendsPerSecond}/s per worker");
await using var storage = await LoadStorage.StartAsync(cancel.Token);
await using var twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions { CreateLatency = options.Latency }, cancel.Token);
var run = new LoadRun(options, storage, twilio, Console.Out);

if (options.Parts.Contains("roundtrips"))
{
    await run.RegistrationRoundTripsAsync(cancel.Token);
    Console.WriteLine("sent texts, clients' first:");
    await run.DispatchAsync(workers: 1, texts: 400, firstTexts: true, cancel.Token);
    Console.WriteLine("sent texts, later ones:");
    await run.DispatchAsync(workers: 1, texts: 400, firstTexts: false, cancel.Token);
}

if (options.Parts.Contains("throughput"))
{
    Console.WriteLine("throughput, 1 worker:");
    await run.DispatchAsync(workers: 1, texts: options.Texts, firstTexts: false, cancel.Token);
    Console.WriteLine("throughput, 3 workers:");
    await run.DispatchAsync(workers: 3, texts: options.Texts, firstTexts: false, cancel.Token);
}

if (options.Parts.Contains("burst"))
{
    Console.WriteLine($"burst of {options.Burst} due in one minute, 3 workers, timer → queue → drains:");
    await run.DispatchAsync(workers: 3, texts: options.Burst, firstTexts: false, cancel.Token);
}

if (options.Parts.Contains("coldstart"))
{
    await ColdStartPart.RunAsync(options, Console.Out, cancel.Token);
}

return 0;
