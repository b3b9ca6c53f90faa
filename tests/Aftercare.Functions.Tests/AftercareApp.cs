using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aftercare.Core.Delivery;
using Aftercare.Core.Security;
using Aftercare.Functions.Hosting;
using Aftercare.Functions.Telemetry;
using Aftercare.FunctionsHost;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The real app as Azure runs it, here: the local Functions host (keys, routing, timers) in front of the isolated worker,
/// which is built in this process from the app's own composition root and attached over gRPC, so the test can move
/// its clock and route its Twilio calls through Prism (Twilio's OpenAPI description). Storage is Azurite, with fresh
/// tables per instance, so no test sees another's data. One at a time per process (the worker's HTTP port and
/// FUNCTIONS_APPLICATION_DIRECTORY are process-wide): every test using it is in <see cref="SharedInfrastructure"/>.
/// </summary>
public sealed class AftercareApp : IAsyncDisposable
{
    public const string TwilioAccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string TwilioAuthToken = "test-auth-token-0123456789abcdef";
    public const string FunctionKey = "test-function-key";
    public const string MasterKey = "test-master-key";

    private readonly FunctionsHost.FunctionsHost _host;
    private readonly IHost _worker;
    private readonly SweepRecorder _sweeps;

    private readonly QueueClient _dispatchQueue;

    private AftercareApp(FunctionsHost.FunctionsHost host, IHost worker, ManualClock clock, string tablePrefix, TableServiceClient tables, PrismRecorder twilio, LogCapture logs, SweepRecorder sweeps, QueueClient dispatchQueue)
    {
        _host = host;
        _dispatchQueue = dispatchQueue;
        _worker = worker;
        _sweeps = sweeps;
        Clock = clock;
        TablePrefix = tablePrefix;
        Tables = tables;
        Twilio = twilio;
        Logs = logs;
        Http = Client(host.BaseAddress, FunctionKey);
        Admin = Client(host.BaseAddress, MasterKey);
        Anonymous = Client(host.BaseAddress, key: null);
    }

    public ManualClock Clock { get; }

    /// <summary>Everything the app logged, at every level, and every line the host received from the worker.</summary>
    public LogCapture Logs { get; }

    /// <summary>A client with the function key, as a clinic's software calls (clinic routes are authLevel function).</summary>
    public HttpClient Http { get; }

    /// <summary>A client with the master key, as an operator calls the admin-level routes.</summary>
    public HttpClient Admin { get; }

    /// <summary>A client with no key, as Twilio calls its webhooks.</summary>
    public HttpClient Anonymous { get; }

    public string TablePrefix { get; }

    public TableServiceClient Tables { get; }

    /// <summary>What went to Twilio (Prism) and what Prism found wrong with it; a correct client leaves no request violations.</summary>
    public PrismRecorder Twilio { get; }

    /// <summary>The host's view of the worker's log lines (RpcLog), as the console and Application Insights would get them.</summary>
    public IReadOnlyList<WorkerLogEntry> HostLogs => _host.Logs;

    /// <summary>The worker's services: the ports behind the functions (to stand in for a function another part writes).</summary>
    public IServiceProvider Services => _worker.Services;

    /// <param name="services">Replaces services of the worker after the app's own registrations (a failing store, say).</param>
    /// <param name="drainFromQueue">
    /// True: the host's queue trigger drains the dispatch timer's work items as in Azure (use <see cref="InvokeFanOutAsync"/>);
    /// false (default): its listener is off and <see cref="InvokeTimerAsync"/> runs them one by one.
    /// </param>
    public static async Task<AftercareApp> StartAsync(Infrastructure infrastructure, DateTimeOffset now, Action<IServiceCollection>? services = null, bool drainFromQueue = false)
    {
        var clock = new ManualClock(now);
        var prefix = AzuriteFixture.UniquePrefix();
        var twilio = new PrismRecorder();
        var host = new FunctionsHost.FunctionsHost(new FunctionsHostOptions
        {
            AppDirectory = AppContext.BaseDirectory,
            AttachWorker = true,
            FunctionKey = FunctionKey,
            MasterKey = MasterKey,
            AppSettings = new Dictionary<string, string?>
            {
                // Azure's switch to stop a function's trigger: tests run the timers on demand instead.
                [$"AzureWebJobs.{Functions.DispatchFunction.Name}.Disabled"] = "true",
                [$"AzureWebJobs.{Functions.DrainShardFunction.Name}.Disabled"] = drainFromQueue ? "false" : "true",

                // The host's own storage: the dispatch timer's queue output is written there.
                ["AzureWebJobsStorage"] = infrastructure.Queues.ConnectionString,
                [$"AzureWebJobs.{Functions.RetentionFunction.Name}.Disabled"] = "true",
                [$"AzureWebJobs.{Functions.AlertDeliveryFunction.Name}.Disabled"] = "true",
                ["Aftercare__Alerts__Schedule"] = "0 */1 * * * *",
                ["Aftercare__Dispatch__Schedule"] = "0 */1 * * * *",
                ["Aftercare__Privacy__RetentionSchedule"] = "0 0 3 * * *",
            },
        });
        try
        {
            await host.StartAsync();
            foreach (var (name, value) in host.GetWorkerEnvironment())
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            var builder = AftercareWorker.CreateBuilder([.. host.CreateAttachArguments()]);
            builder.Configuration.AddInMemoryCollection(TestKeys.Configuration);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Aftercare:Storage:ConnectionString"] = infrastructure.Azurite.ConnectionString,
                ["Aftercare:Storage:TablePrefix"] = prefix,
                ["Aftercare:PublicBaseUrl"] = "https://aftercare.example",
                ["Aftercare:Twilio:AccountSid"] = TwilioAccountSid,
                ["Aftercare:Twilio:AuthToken"] = TwilioAuthToken,
                ["Aftercare:Twilio:BaseUri"] = infrastructure.Prism.BaseUri.ToString(),

                // Alert receivers in tests listen on loopback over plain http.
                ["Aftercare:Alerts:AllowPrivateNetworks"] = "true",
            });
            var logs = new LogCapture();
            host.LogReceived += entry => logs.Add($"{entry.Level} host/{entry.Category}: {entry.Message} {entry.Exception}");
            builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
            builder.Services.Replace(ServiceDescriptor.Singleton(sp => TwilioRestClientFactory.Create(
                sp.GetRequiredService<TwilioOptions>(), clock, PrismServer.CreateRecordingHandler(twilio), sendGate: sp.GetRequiredService<TwilioSendGate>())));
            var sweeps = new SweepRecorder();
            builder.Services.Replace(ServiceDescriptor.Singleton<IDeliveryEvents>(sp => sweeps.Around(ActivatorUtilities.CreateInstance<DeliveryTelemetry>(sp))));
            services?.Invoke(builder.Services);

            var worker = await AftercareWorker.BuildAsync(builder);
            await worker.StartAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.WaitForWorkerAsync(deadline.Token);
            var dispatchQueue = await infrastructure.Queues.QueueAsync(Functions.DispatchQueue.Name);
            return new AftercareApp(host, worker, clock, prefix, new TableServiceClient(infrastructure.Azurite.ConnectionString), twilio, logs, sweeps, dispatchQueue);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object body) =>
        client.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    /// <summary>Sends a clinic request (function key) signed the way DESIGN.md specifies; <paramref name="signatureAt"/> defaults to now.</summary>
    public Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string pathAndQuery, string secret, string? json = null, Instant? signatureAt = null)
    {
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        var at = signatureAt ?? Instant.FromDateTimeOffset(Clock.GetUtcNow());
        request.Headers.TryAddWithoutValidation(ClinicSignature.HeaderName, ClinicSignature.Create(secret, at, method.Method, pathAndQuery, body));
        return Http.SendAsync(request);
    }

    /// <summary>
    /// Runs the dispatch timer function now, through the host as a timer tick would (the timer itself is disabled in
    /// tests), then drains every shard work item it queued, one at a time through the host as the queue trigger would
    /// (its listener is disabled too, so nothing else takes them), and returns the drains' counts added up.
    /// </summary>
    public async Task<DispatchReport> InvokeTimerAsync()
    {
        var before = _sweeps.Count;
        var timer = await _host.InvokeAsync(Functions.DispatchFunction.Name);
        Assert.True(timer.Succeeded, timer.ErrorMessage);

        var drained = 0;
        while ((await _dispatchQueue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } items)
        {
            foreach (var item in items)
            {
                var drain = await _host.InvokeAsync(Functions.DrainShardFunction.Name, item.Body.ToString());
                Assert.True(drain.Succeeded, drain.ErrorMessage);
                await _dispatchQueue.DeleteMessageAsync(item.MessageId, item.PopReceipt);
                drained++;
            }
        }

        var reports = _sweeps.Since(before);
        Assert.Equal(drained, reports.Count); // No drain found its shard leased: nothing else drains in a test.
        return reports.Aggregate(new DispatchReport(0, 0, 0, 0, 0, 0, 0), (sum, r) => new DispatchReport(
            sum.Due + r.Due, sum.Sent + r.Sent, sum.Settled + r.Settled, sum.Deferred + r.Deferred, sum.InDoubt + r.InDoubt, sum.Held + r.Held, sum.Faulted + r.Faulted));
    }

    /// <summary>Runs only the dispatch timer (its work items go to the queue), for an app started with drainFromQueue.</summary>
    public async Task InvokeFanOutAsync()
    {
        var timer = await _host.InvokeAsync(Functions.DispatchFunction.Name);
        Assert.True(timer.Succeeded, timer.ErrorMessage);
    }

    /// <summary>Every queue message the host settled (succeeded, retried, poisoned), in order.</summary>
    public IReadOnlyList<QueueInvocationOutcome> QueueInvocations => _host.QueueInvocations;

    /// <summary>Empties the dispatch queue (shared by every app of this process) before a test that drains it.</summary>
    public Task ClearDispatchQueueAsync() => _dispatchQueue.ClearMessagesAsync();

    /// <summary>Runs the clinic alert timer function now, through the host (the timer itself is disabled in tests).</summary>
    public async Task InvokeAlertsAsync()
    {
        var result = await _host.InvokeAsync(Functions.AlertDeliveryFunction.Name);
        Assert.True(result.Succeeded, result.ErrorMessage);
    }

    /// <summary>
    /// Runs the retention timer function now, through the host (the timer itself is disabled in tests), and returns the
    /// line it logged: what it did and its Table round trips.
    /// </summary>
    public async Task<string> InvokeRetentionAsync()
    {
        var before = Logs.Lines.Count;
        var result = await _host.InvokeAsync(Functions.RetentionFunction.Name);
        Assert.True(result.Succeeded, result.ErrorMessage);
        return Logs.Lines.Skip(before).Single(line => line.Contains("Retention sweep:", StringComparison.Ordinal) && !line.Contains("host/", StringComparison.Ordinal));
    }

    /// <summary>Every entity of every table of this app as the service stores it, for scans of what is kept at rest.</summary>
    public async Task<IReadOnlyList<TableEntity>> RawEntitiesAsync() => [.. (await RawRowsAsync()).Select(row => row.Entity)];

    /// <summary>Every entity of every table of this app with the name of its table (two tables may hold the same keys).</summary>
    public async Task<IReadOnlyList<(string Table, TableEntity Entity)>> RawRowsAsync()
    {
        var rows = new List<(string, TableEntity)>();
        foreach (var table in new AftercareTables(Tables, TablePrefix).All)
        {
            await foreach (var entity in table.QueryAsync())
            {
                rows.Add((table.Name, entity));
            }
        }

        return rows;
    }

    /// <summary>Every entity in every table of this app: what "stores nothing" is checked against.</summary>
    public async Task<int> CountStoredEntitiesAsync()
    {
        var total = 0;
        foreach (var table in new AftercareTables(Tables, TablePrefix).All)
        {
            await foreach (var _ in table.QueryAsync())
            {
                total++;
            }
        }

        return total;
    }

    /// <summary>
    /// Every entity of this app as "table PartitionKey RowKey ETag", in order: equal snapshots mean nothing was added,
    /// changed or removed (what "changes nothing" is checked against).
    /// </summary>
    public async Task<IReadOnlyList<string>> SnapshotStorageAsync()
    {
        var rows = new List<string>();
        foreach (var table in new AftercareTables(Tables, TablePrefix).All)
        {
            await foreach (var entity in table.QueryAsync(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add($"{table.Name} {entity.PartitionKey} {entity.RowKey} {entity.ETag}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        Anonymous.Dispose();
        await _host.DisposeAsync();
        await _worker.StopAsync();
        _worker.Dispose();
    }

    private static HttpClient Client(Uri baseAddress, string? key)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        return client;
    }
}
