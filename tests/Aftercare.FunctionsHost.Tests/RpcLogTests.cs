using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Tests;

public sealed class RpcLogTests
{
    [Fact]
    public async Task The_worker_s_logs_reach_the_host_whole_with_category_level_and_exception()
    {
        await using var host = await LaunchedHost.StartAsync();
        var marker = Guid.NewGuid().ToString("N");
        var raised = new List<WorkerLogEntry>();
        host.Host.LogReceived += entry =>
        {
            lock (raised)
            {
                raised.Add(entry);
            }
        };

        using var response = await host.Http.GetAsync($"api/log?marker={marker}");
        response.EnsureSuccessStatusCode();

        var error = await Eventually.GetAsync(
            () => host.Host.Logs.FirstOrDefault(l => l.Message == $"error marker={marker}"),
            "the worker's error log");
        var information = host.Host.Logs.Single(l => l.Message == $"marker={marker}");
        Assert.Equal(LogLevel.Information, information.Level);
        Assert.Equal("Aftercare.FunctionsHost.TestWorker.Functions.HttpFunctions", information.Category);
        Assert.NotNull(information.InvocationId);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains($"System.InvalidOperationException: logged failure {marker}", error.Exception, StringComparison.Ordinal);
        Assert.Contains(host.HostLogs.Lines, l => l == $"Aftercare.FunctionsHost.TestWorker.Functions.HttpFunctions|Information|marker={marker}");
        lock (raised)
        {
            Assert.Contains(raised, l => l.Message == $"marker={marker}");
        }
    }
}
