namespace Aftercare.FunctionsHost.Tests;

/// <summary>The host program as a separate process: it stops cleanly on SIGTERM/SIGINT and leaves no worker behind when killed.</summary>
public sealed class ProcessLifetimeTests
{
    [Fact]
    public async Task A_host_killed_with_SIGKILL_leaves_no_worker_running()
    {
        await using var program = HostProgram.Start();
        var worker = await program.WaitForWorkerAsync();

        Processes.Signal(program.Id, "KILL");

        await Eventually.TrueAsync(() => Processes.IsGone(worker), $"worker {worker} to die with its host");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_stops_the_worker_then_the_host_with_exit_code_0(string signal)
    {
        await using var program = HostProgram.Start();
        var worker = await program.WaitForWorkerAsync();

        Processes.Signal(program.Id, signal);
        var exitCode = await program.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        Assert.True(Processes.IsGone(worker));
        Assert.Contains($"Worker process {worker} exited with code 0.", program.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Killing worker", program.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_the_library_host_stops_its_worker()
    {
        var host = await LaunchedHost.StartAsync();
        var worker = host.Worker.ProcessId!.Value;

        await host.DisposeAsync();

        Assert.True(Processes.IsGone(worker));
        Assert.Contains(host.HostLogs.Lines, l => l.Contains($"Worker process {worker} exited with code 0.", StringComparison.Ordinal));
    }
}
