using System.Net;
using Aftercare.FunctionsHost.TestWorker.Functions;

namespace Aftercare.FunctionsHost.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task A_timer_fires_on_its_six_field_cron_schedule_read_from_an_app_setting()
    {
        await using var host = await LaunchedHost.StartAsync(new Dictionary<string, string?> { ["TickSchedule"] = "*/1 * * * * *" });

        var runs = await Eventually.GetAsync(
            () => Ticks(host).Count >= 2 ? Ticks(host) : null,
            "two timer runs");

        Assert.All(runs, run => Assert.Contains("pastDue=False", run.Message, StringComparison.Ordinal));
        Assert.All(runs, run => Assert.Matches(@"firedAt=\d\d/\d\d/\d{4} \d\d:\d\d:\d\d\z", run.Message));
        Assert.Contains(host.HostLogs.Lines, l => l.Contains("Timer 'Tick' runs on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_timer_runs_one_invocation_at_a_time_and_skips_the_ticks_that_fall_during_a_run()
    {
        await using var host = await LaunchedHost.StartAsync(new Dictionary<string, string?> { ["SlowTickSchedule"] = "* * * * * *" });

        var markers = await Eventually.GetAsync(
            () =>
            {
                var seen = host.Host.Logs
                    .Select(l => l.Message)
                    .Where(m => m is TimerFunctions.SlowStart or TimerFunctions.SlowEnd)
                    .ToList();
                return seen.Count(m => m == TimerFunctions.SlowEnd) >= 3 ? seen : null;
            },
            "three slow runs to end");

        // Each run ends before the next starts, although the schedule fires every second and a run takes 1.5 s.
        for (var i = 0; i < markers.Count; i++)
        {
            Assert.Equal(i % 2 == 0 ? TimerFunctions.SlowStart : TimerFunctions.SlowEnd, markers[i]);
        }
    }

    [Fact]
    public async Task A_disabled_timer_does_not_run_on_its_schedule_but_runs_on_demand()
    {
        await using var host = await LaunchedHost.StartAsync(new Dictionary<string, string?>
        {
            ["TickSchedule"] = "*/1 * * * * *",
            ["AzureWebJobs.Tick.Disabled"] = "true",
        });

        var first = await host.Host.InvokeAsync("Tick");
        var second = await host.Host.InvokeAsync("Tick");

        Assert.True(first.Succeeded && second.Succeeded, first.ErrorMessage ?? second.ErrorMessage);
        Assert.Contains(host.HostLogs.Lines, l => l.Contains("Function 'Tick' is disabled: its timer does not run.", StringComparison.Ordinal));
        Assert.DoesNotContain(host.HostLogs.Lines, l => l.Contains("Timer 'Tick' runs on", StringComparison.Ordinal));
        Assert.Equal(2, Ticks(host).Count);
    }

    [Fact]
    public async Task A_disabled_http_function_is_hidden_from_all_but_the_master_key()
    {
        await using var host = await LaunchedHost.StartAsync(new Dictionary<string, string?> { ["AzureWebJobs.Echo.Disabled"] = "1" });
        using var withMasterKey = new HttpRequestMessage(HttpMethod.Get, "api/echo/x");
        withMasterKey.Headers.Add("x-functions-key", host.Host.MasterKey);

        using var anonymous = await host.Http.GetAsync("api/echo/x");
        using var master = await host.Http.SendAsync(withMasterKey);

        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, master.StatusCode);
    }

    [Fact]
    public async Task An_on_demand_run_reports_the_function_s_outcome()
    {
        await using var host = await LaunchedHost.StartAsync();

        var result = await host.Host.InvokeAsync("Tick");

        Assert.True(result.Succeeded);
        Assert.Null(result.ErrorMessage);
        Assert.True(Guid.TryParse(result.InvocationId, out _));
        Assert.Single(Ticks(host));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Host.InvokeAsync("NoSuchFunction"));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Host.InvokeAsync("Echo"));
    }

    private static List<WorkerLogEntry> Ticks(LaunchedHost host) =>
        [.. host.Host.Logs.Where(l => l.Message.StartsWith(TimerFunctions.Marker, StringComparison.Ordinal))];
}
