using Aftercare.FunctionsHost.ColdStart;

// Cold start of the app against an empty isolated worker with the same packages (issue 16): ColdStartBench. Build this
// bench in Release first (it builds both apps too; README, "Measurements"):
//   dotnet bench/Aftercare.FunctionsHost.ColdStart/bin/Release/net10.0/Aftercare.FunctionsHost.ColdStart.dll \
//     [--pairs 10] [--path api/health] [--app <worker output>] [--empty <worker output>] [--setting Name=Value]... [--verbose]
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var options = ColdStartOptions.Parse(args);
try
{
    options.EnsureBuilt();
}
catch (InvalidOperationException missing)
{
    await Console.Error.WriteLineAsync(missing.Message);
    return 1;
}

await ColdStartBench.RunAsync(options, Console.Out, cancel.Token);
return 0;
