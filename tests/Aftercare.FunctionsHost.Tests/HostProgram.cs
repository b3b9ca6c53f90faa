using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Aftercare.FunctionsHost.Tests;

/// <summary>The host's console program run as a child process on the test worker, with its output kept.</summary>
public sealed partial class HostProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProgram(Process process) => _process = process;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static HostProgram Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { TestWorkerOutput.HostProgram, "--app", TestWorkerOutput.Directory, "--port", "0", "--setting", "TickSchedule=0 0 0 1 1 *", "--setting", "SlowTickSchedule=0 0 0 1 1 *" })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var program = new HostProgram(process);
        process.OutputDataReceived += (_, e) => program.Append(e.Data);
        process.ErrorDataReceived += (_, e) => program.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return program;
    }

    /// <summary>Waits for the host's "Worker ready (process N" line and returns N.</summary>
    public async Task<int> WaitForWorkerAsync()
    {
        var ready = await Eventually.GetAsync(() => WorkerReady().Match(Output) is { Success: true } match ? match : null, "the worker to be ready:\n" + Output);
        return int.Parse(ready.Groups["pid"].Value, CultureInfo.InvariantCulture);
    }

    public async Task<int> WaitForExitAsync()
    {
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"Worker ready \(process (?<pid>\d+)")]
    private static partial Regex WorkerReady();
}
