using System.Runtime.InteropServices;
using Aftercare.FunctionsHost;
using Microsoft.Extensions.Logging;

// The console program: runs one worker app until SIGINT or SIGTERM, then stops it cleanly (exit code 0).
CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + CommandLine.Usage);
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Information)
    .AddFilter("Microsoft", LogLevel.Warning)
    .AddFilter("Grpc", LogLevel.Warning)
    .AddFilter("Yarp", LogLevel.Warning)
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss.fff ";
    }));

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

FunctionsHost host;
try
{
    host = new FunctionsHost(commandLine.ToOptions(loggerFactory));
}
catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"The Functions host could not start: {ex.Message}");
    return 1;
}

await using var running = host;
try
{
    await host.StartAsync();
}
catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"The Functions host could not start: {ex.Message}");
    return 1;
}

// Printed once, at start: the keys are never logged afterwards.
Console.WriteLine($"""
    Aftercare local Functions host (development and tests only)
      App:          {commandLine.AppDirectory}
      HTTP:         {host.BaseAddress}
      Function key: {host.FunctionKey}
      Master key:   {host.MasterKey}
    """);

var ready = host.WaitForWorkerAsync();
if (await Task.WhenAny(ready, stop.Task) == ready)
{
    Console.WriteLine($"Functions: {string.Join(", ", (await ready).Functions)}");
}

await stop.Task;
await host.StopAsync();
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
