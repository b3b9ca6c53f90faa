using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Aftercare.FunctionsHost.Tests;

public sealed class HandshakeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_launched_worker_loads_every_function_it_indexed()
    {
        await using var host = await LaunchedHost.StartAsync();

        Assert.Equal(["Reserved"], host.Worker.Errors.Keys);
        Assert.Equal(
            [
                "AdminLevel", "Bind", "Crash", "DeleteItem", "Echo", "Environment", "FanOut", "FunctionLevel", "GetItem", "Log", "Metadata", "Optional",
                "Order", "PlaceOrder", "Plain", "Services", "SlowTick", "Status", "Throw", "Tick", "Trace", "Work",
            ],
            host.Worker.Functions.Order(StringComparer.Ordinal));
        Assert.NotNull(host.Worker.ProcessId);
        Assert.Equal(host.Worker.ProcessId, host.Host.WorkerProcessId);
    }

    [Fact]
    public async Task The_worker_gets_both_argument_sets_the_real_host_passes()
    {
        await using var host = await LaunchedHost.StartAsync();

        var commandLine = (await File.ReadAllTextAsync($"/proc/{host.Worker.ProcessId}/cmdline")).Split('\0');

        foreach (var name in new[] { "--host", "--port", "--workerId", "--requestId", "--grpcMaxMessageLength", "--functions-uri", "--functions-worker-id", "--functions-request-id", "--functions-grpc-max-message-length" })
        {
            Assert.Contains(name, commandLine);
        }

        Assert.Equal(host.Worker.WorkerId, commandLine[Array.IndexOf(commandLine, "--functions-worker-id") + 1]);
        Assert.Equal("2147483647", commandLine[Array.IndexOf(commandLine, "--functions-grpc-max-message-length") + 1]);
    }

    [Theory]
    [InlineData("FUNCTIONS_APPLICATION_DIRECTORY")]
    [InlineData("FUNCTIONS_WORKER_DIRECTORY")]
    [InlineData("AzureWebJobsScriptRoot")]
    public async Task The_worker_runs_in_the_app_folder_and_is_told_so(string variable)
    {
        await using var host = await LaunchedHost.StartAsync();

        var seen = await host.Http.GetFromJsonAsync<JsonElement>($"api/environment/{variable}");

        Assert.Equal(TestWorkerOutput.Directory, seen.GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_worker_s_working_directory_is_the_app_folder()
    {
        await using var host = await LaunchedHost.StartAsync();

        Assert.Equal(TestWorkerOutput.Directory, new FileInfo($"/proc/{host.Worker.ProcessId}/cwd").LinkTarget);
    }

    [Fact]
    public async Task App_settings_reach_the_worker_as_environment_variables()
    {
        await using var host = await LaunchedHost.StartAsync(new Dictionary<string, string?> { ["Aftercare__Probe"] = "from the host" });

        var seen = await host.Http.GetFromJsonAsync<JsonElement>("api/environment/Aftercare__Probe");

        Assert.Equal("from the host", seen.GetProperty("value").GetString());
    }

    /// <summary>Measured, never asserted: worker launch to the first HTTP 200 (printed with the test output).</summary>
    [Fact]
    public async Task Launch_to_first_200_is_measured()
    {
        var clock = Stopwatch.StartNew();
        await using var host = new FunctionsHost(new FunctionsHostOptions
        {
            AppDirectory = TestWorkerOutput.Directory,
            AppSettings = new Dictionary<string, string?> { ["TickSchedule"] = "0 0 0 1 1 *", ["SlowTickSchedule"] = "0 0 0 1 1 *" },
        });
        await host.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var response = await http.GetAsync("api/echo/first");
        var firstOk = clock.Elapsed;

        response.EnsureSuccessStatusCode();
        output.WriteLine($"local host: start to first HTTP 200 from the test worker: {firstOk.TotalMilliseconds:F0} ms");
    }
}
