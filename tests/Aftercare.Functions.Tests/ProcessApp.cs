using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aftercare.Core.Security;
using Aftercare.FunctionsHost;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;
using Xunit;
using static Aftercare.Functions.Tests.InboundPosts;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The local host running the worker (<c>Aftercare.Functions.dll</c>) as a child process, as Azure runs it, on Azurite
/// and Prism: by default the build output, or another folder such as the published package. Timers are disabled (run
/// them with <see cref="Host"/>'s <c>InvokeAsync</c>).
/// </summary>
internal sealed class ProcessApp : IAsyncDisposable
{
    public const string MasterKey = "crash-master-key";
    public const string FunctionKey = "crash-function-key";
    public const string AuthToken = "crash-auth-token-0123456789abcdef";
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly string _prefix;

    private ProcessApp(FunctionsHost.FunctionsHost host, string prefix, HttpClient admin, HttpClient http, HttpClient anonymous, TableServiceClient tables)
    {
        Host = host;
        _prefix = prefix;
        Admin = admin;
        Http = http;
        Anonymous = anonymous;
        Tables = tables;
    }

    public FunctionsHost.FunctionsHost Host { get; }

    public HttpClient Admin { get; }

    public HttpClient Http { get; }

    public HttpClient Anonymous { get; }

    public TableServiceClient Tables { get; }

    /// <param name="appDirectory">The folder the host loads the worker from; default the worker's build output.</param>
    public static async Task<ProcessApp> StartAsync(Infrastructure infrastructure, string? appDirectory = null)
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var host = new FunctionsHost.FunctionsHost(new FunctionsHostOptions
        {
            AppDirectory = appDirectory ?? RepositoryPaths.FunctionsAppDirectory,
            FunctionKey = FunctionKey,
            MasterKey = MasterKey,
            RestartDelay = TimeSpan.FromMilliseconds(200),
            AppSettings = new Dictionary<string, string?>(TestKeys.AppSettings, StringComparer.Ordinal)
            {
                ["Aftercare__Storage__ConnectionString"] = infrastructure.Azurite.ConnectionString,

                // The host's storage: the dispatch timer's work items go to its queue, and the queue trigger drains them.
                ["AzureWebJobsStorage"] = infrastructure.Queues.ConnectionString,
                ["Aftercare__Storage__TablePrefix"] = prefix,
                ["Aftercare__PublicBaseUrl"] = "https://aftercare.example",
                ["Aftercare__Twilio__AccountSid"] = AftercareApp.TwilioAccountSid,
                ["Aftercare__Twilio__AuthToken"] = AuthToken,
                ["Aftercare__Twilio__BaseUri"] = infrastructure.Prism.BaseUri.ToString(),
                ["Aftercare__Alerts__AllowPrivateNetworks"] = "true",
                ["Aftercare__Alerts__LeaseSeconds"] = "2",
                ["Aftercare__Alerts__Schedule"] = "0 */1 * * * *",
                ["Aftercare__Dispatch__Schedule"] = "0 */1 * * * *",
                ["Aftercare__Privacy__RetentionSchedule"] = "0 0 3 * * *",
                ["AzureWebJobs.DispatchDueMessages.Disabled"] = "true",
                ["AzureWebJobs.DeliverClinicAlerts.Disabled"] = "true",
                ["AzureWebJobs.EraseExpiredClientData.Disabled"] = "true",
            },
        });
        try
        {
            await host.StartAsync();
            using var deadline = new CancellationTokenSource(Deadline);
            await host.WaitForWorkerAsync(deadline.Token);
            return new ProcessApp(
                host,
                prefix,
                Client(host.BaseAddress, MasterKey),
                Client(host.BaseAddress, FunctionKey),
                Client(host.BaseAddress, null),
                new TableServiceClient(infrastructure.Azurite.ConnectionString));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A clinic made through the admin API (the master key), sending from <see cref="InboundPosts.Sender"/>.</summary>
    /// <param name="quietHours">The clinic's quiet hours (<c>HH:mm</c> local), or null for the default 20:00–09:00.</param>
    public async Task<ClinicCredentials> CreateClinicAsync(string timeZone = "Europe/London", (string Start, string End)? quietHours = null)
    {
        var request = new Dictionary<string, object>
        {
            ["name"] = "Riverside Skin Clinic",
            ["timeZone"] = timeZone,
            ["senderPhone"] = Sender,
            ["bookingUrl"] = "https://book.example.com/riverside",
            ["contactPhone"] = "+442079460000",
            ["defaultLocale"] = "en",
        };
        if (quietHours is { } hours)
        {
            request["quietHours"] = new { start = hours.Start, end = hours.End };
        }

        using var created = await Admin.PostAsync("/api/manage/clinics", Json(request));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        return new ClinicCredentials(body.GetProperty("clinicId").GetString()!, body.GetProperty("webhookSecret").GetString()!);
    }

    /// <summary>
    /// A clinic made through the admin API whose alert URL is a loopback receiver, written on the stored row (the API
    /// takes public https URLs only).
    /// </summary>
    public async Task<(ClinicCredentials Clinic, AlertReceiver Receiver)> ClinicWithReceiverAsync()
    {
        var clinic = await CreateClinicAsync();
        var receiver = await AlertReceiver.StartAsync(clinic.Secret, TimeProvider.System);
        var row = new TableEntity(clinic.Id, "clinic") { ["AlertWebhookUrl"] = receiver.Endpoint.ToString() };
        await Tables.GetTableClient(_prefix + "clinics").UpdateEntityAsync(row, Azure.ETag.All, TableUpdateMode.Merge);
        return (clinic, receiver);
    }

    /// <param name="performedAt">The treatment's time; default 20 hours ago.</param>
    public async Task RegisterAsync(ClinicCredentials clinic, string externalId, DateTimeOffset? performedAt = null)
    {
        var json = Registrations.Body(externalId, performedAt ?? DateTimeOffset.UtcNow.AddHours(-20));
        using var response = await SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Sends a clinic request with the function key, signed now with the clinic's secret (DESIGN.md).</summary>
    public Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string pathAndQuery, string secret, string? json = null)
    {
        var bytes = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        request.Headers.TryAddWithoutValidation(
            ClinicSignature.HeaderName, ClinicSignature.Create(secret, SystemClock.Instance.GetCurrentInstant(), method.Method, pathAndQuery, bytes));
        return Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostInboundAsync(Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, InboundPath) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, TwilioSignature.Compute(AuthToken, "https://aftercare.example" + InboundPath, form));
        return Anonymous.SendAsync(request);
    }

    /// <summary>SIGKILLs the worker process (no shutdown code runs in it) and returns its process id.</summary>
    public int KillWorker()
    {
        var pid = Host.WorkerProcessId ?? throw new InvalidOperationException("No worker is running.");
        using var worker = Process.GetProcessById(pid);
        worker.Kill();
        return pid;
    }

    /// <summary>Waits until the host has a worker other than <paramref name="previous"/> ready.</summary>
    public async Task WaitForNewWorkerAsync(int previous)
    {
        var stopAt = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < stopAt)
        {
            using var glance = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                if ((await Host.WaitForWorkerAsync(glance.Token)).ProcessId is { } pid && pid != previous)
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
            }

            await Task.Delay(100);
        }

        Assert.Fail("The host did not start a new worker.");
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        Http.Dispose();
        Anonymous.Dispose();
        await Host.DisposeAsync();
    }

    private static HttpClient Client(Uri baseAddress, string? key)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = Deadline };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", key);
        }

        return client;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
