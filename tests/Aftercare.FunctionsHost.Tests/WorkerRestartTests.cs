using System.Diagnostics;
using System.Net;

namespace Aftercare.FunctionsHost.Tests;

public sealed class WorkerRestartTests
{
    [Fact]
    public async Task A_worker_that_crashes_is_started_again_and_its_request_fails_with_500()
    {
        await using var host = await LaunchedHost.StartAsync();
        var first = host.Worker.ProcessId!.Value;

        using var crash = await host.Http.PostAsync("api/crash", null);

        Assert.Equal(HttpStatusCode.InternalServerError, crash.StatusCode);
        var second = await WaitForNewWorkerAsync(host, first);
        Assert.True(Processes.IsGone(first));
        using var after = await host.Http.GetAsync("api/echo/after-restart");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_worker_killed_from_outside_is_started_again()
    {
        await using var host = await LaunchedHost.StartAsync();
        var first = host.Worker.ProcessId!.Value;

        using (var worker = Process.GetProcessById(first))
        {
            worker.Kill();
        }

        await WaitForNewWorkerAsync(host, first);
        var result = await host.Host.InvokeAsync("Tick");
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    [Fact]
    public async Task A_request_that_arrives_while_the_worker_restarts_waits_for_the_new_worker()
    {
        await using var host = await LaunchedHost.StartAsync();
        var first = host.Worker.ProcessId!.Value;

        Processes.Signal(first, "KILL");
        await Eventually.TrueAsync(() => host.Host.WorkerProcessId != first, "the host to notice the worker is gone");
        using var response = await host.Http.GetAsync("api/echo/during-restart");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(first, (await host.Host.WaitForWorkerAsync()).ProcessId);
    }

    private static async Task<int> WaitForNewWorkerAsync(LaunchedHost host, int previous)
    {
        var worker = await Eventually.GetAsync(
            async () =>
            {
                using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    var ready = await host.Host.WaitForWorkerAsync(soon.Token);
                    return ready.ProcessId != previous ? ready : null;
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            },
            "a new worker");
        return worker.ProcessId!.Value;
    }
}
