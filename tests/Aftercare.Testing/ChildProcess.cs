using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Aftercare.Testing;

/// <summary>
/// A tool the tests start on a loopback port (Azurite, Prism, the handler) and always stop: its output is kept
/// so a failure to start says why, and disposal kills the whole process tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the port accepts TCP connections, failing early if the process dies.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode} before listening on {port}:\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{_process.StartInfo.FileName} did not listen on {port} within {timeout}:\n{Output}");
    }

    /// <summary>Waits until the output contains the marker (a tool's own 'listening' line).</summary>
    public async Task WaitForOutputAsync(string marker, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!Output.Contains(marker, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}:\n{Output}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"'{marker}' not seen within {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (OperationCanceledException)
        {
            // It will be reaped with the test host.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
