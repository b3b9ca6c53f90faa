using System.Net.Http.Json;
using System.Text.Json;
using Aftercare.FunctionsHost.TestWorker;
using Aftercare.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aftercare.FunctionsHost.Tests;

/// <summary>
/// The worker built inside the test process from its own builder code, with services swapped, attached to the host
/// over the same gRPC channel a launched worker uses. One attached worker per process at a time: the worker's
/// ASP.NET Core integration picks its HTTP port once per process, and FUNCTIONS_APPLICATION_DIRECTORY is process-wide.
/// </summary>
[Collection(AttachedWorkers.Name)]
public sealed class AttachModeTests
{
    [Fact]
    public async Task A_worker_built_in_the_test_process_serves_through_the_host_with_swapped_services()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 2, 9, 0, 0, TimeSpan.Zero));
        await using var host = new FunctionsHost(new FunctionsHostOptions { AppDirectory = AppContext.BaseDirectory, AttachWorker = true });
        await host.StartAsync();
        foreach (var (name, value) in host.GetWorkerEnvironment())
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        var builder = TestWorkerApp.CreateBuilder([.. host.CreateAttachArguments()]);
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        builder.Services.Replace(ServiceDescriptor.Singleton<IGreeting>(new TestGreeting()));
        using var worker = builder.Build();
        await worker.StartAsync();
        using var deadline = new CancellationTokenSource(Eventually.Deadline);
        var ready = await host.WaitForWorkerAsync(deadline.Token);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var before = await http.GetFromJsonAsync<JsonElement>("api/services");
        clock.Advance(TimeSpan.FromDays(6));
        var after = await http.GetFromJsonAsync<JsonElement>("api/services");
        var tick = await host.InvokeAsync("Tick");

        Assert.Null(ready.ProcessId);
        Assert.Null(host.WorkerProcessId);
        Assert.Equal("hello from the test", before.GetProperty("greeting").GetString());
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 9, 0, 0, TimeSpan.Zero), before.GetProperty("now").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2030, 1, 8, 9, 0, 0, TimeSpan.Zero), after.GetProperty("now").GetDateTimeOffset());
        Assert.True(tick.Succeeded, tick.ErrorMessage);

        // WorkerTerminate stops the attached worker's own host, as it stops a launched worker.
        var stopping = worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await host.StopAsync();
        await Eventually.TrueAsync(() => stopping.IsCancellationRequested, "the attached worker's host to be stopping");
        await worker.StopAsync();
    }

    private sealed class TestGreeting : IGreeting
    {
        public string Text => "hello from the test";
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AttachedWorkers
{
    public const string Name = "Attached workers";
}
