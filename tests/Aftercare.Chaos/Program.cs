using Aftercare.Chaos;

ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(ChaosOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // Stop the run, and with it every child process, instead of dying with them still running.
    cancel.Cancel();
};

Console.WriteLine($"[chaos] seed={options.Seed} treatments={options.Treatments} stages={options.Stages} dispatchers={options.Dispatchers} kills={options.Kills} fault-rate={options.FaultRate} time-limit={options.TimeLimit.TotalSeconds}s");
ChaosReport report;
try
{
    report = await new ChaosRun(options, Console.Out, TimeProvider.System).RunAsync(cancel.Token);
}
catch (Exception ex)
{
    Console.WriteLine("duplicates=? lost=?");
    Console.WriteLine("FAILED: the run stopped before its verdict: " + ex);
    return 1;
}

report.Print(Console.Out);
var failures = report.Failures();
foreach (var failure in failures)
{
    Console.WriteLine("FAILED: " + failure);
}

Console.WriteLine(failures.Count == 0 ? "PASSED" : "chaos run failed");
return failures.Count == 0 ? 0 : 1;
