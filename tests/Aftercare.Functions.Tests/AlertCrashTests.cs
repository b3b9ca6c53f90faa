using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aftercare.Core.Alerts;
using Aftercare.Core.Security;
using Aftercare.FunctionsHost;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Xunit;
using static Aftercare.Functions.Tests.InboundPosts;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Durability of clinic alerts with the real worker as a child process of the local host, SIGKILLed as the Functions
/// host would see a crash: an alert stored with its reply is delivered by the next worker; one killed mid-post is posted
/// again (same Idempotency-Key) once its claim lapses.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class AlertCrashTests(Infrastructure infrastructure)
{
    private const string MasterKey = "crash-master-key";
    private const string FunctionKey = "crash-function-key";
    private const string AuthToken = "crash-auth-token-0123456789abcdef";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_worker_killed_right_after_storing_an_urgent_reply_leaves_the_alert_for_the_next_worker_to_deliver()
    {
        await using var app = await ProcessApp.StartAsync(infrastructure);
        var (clinic, receiver) = await app.ClinicWithReceiverAsync();
        await using var receiverLifetime = receiver;
        await app.RegisterAsync(clinic, "ext-crash-1");

        var sid = "SM" + new string('9', 31) + "1";
        using (var reply = await app.PostInboundAsync(Form(sid, "my lips are swollen and theres pus", to: Sender)))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        var killed = app.KillWorker();
        await app.WaitForNewWorkerAsync(killed);
        Assert.Empty(receiver.Received); // The alert timer is off: nothing was posted before the kill.

        var result = await app.Host.InvokeAsync("DeliverClinicAlerts");
        Assert.True(result.Succeeded, result.ErrorMessage);

        var received = Assert.Single(receiver.Received);
        Assert.Equal(SignatureCheck.Valid, received.Signature);
        Assert.Equal(ClinicAlertIds.ForReply(sid), received.IdempotencyKey);
        Assert.Equal("client-reply-urgent", JsonDocument.Parse(received.Body).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_worker_killed_while_posting_an_alert_posts_it_again_with_the_same_idempotency_key_after_its_claim_lapses()
    {
        await using var app = await ProcessApp.StartAsync(infrastructure);
        var (clinic, receiver) = await app.ClinicWithReceiverAsync();
        await using var receiverLifetime = receiver;
        await app.RegisterAsync(clinic, "ext-crash-2");
        using var firstPost = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var posts = 0;
        receiver.Answer = () =>
        {
            if (Interlocked.Increment(ref posts) == 1)
            {
                firstPost.Set();
                release.Wait(Deadline); // Holds the first post open until its worker is dead.
            }

            return StatusCodes.Status200OK;
        };

        var sid = "SM" + new string('9', 31) + "2";
        using (var reply = await app.PostInboundAsync(Form(sid, "I think its infected, theres yellow pus", to: Sender)))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        var sweep = app.Host.InvokeAsync("DeliverClinicAlerts");
        Assert.True(firstPost.Wait(Deadline), "the first post never arrived");
        var killed = app.KillWorker();
        release.Set();
        await app.WaitForNewWorkerAsync(killed);
        Assert.False((await sweep).Succeeded);

        // The claim lasts Aftercare__Alerts__LeaseSeconds (2 s here): sweep until the alert is posted again.
        var stopAt = DateTime.UtcNow + Deadline;
        while (receiver.Received.Count < 2 && DateTime.UtcNow < stopAt)
        {
            await Task.Delay(500);
            var again = await app.Host.InvokeAsync("DeliverClinicAlerts");
            Assert.True(again.Succeeded, again.ErrorMessage);
        }

        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal(ClinicAlertIds.ForReply(sid), r.IdempotencyKey));
        Assert.All(receiver.Received, r => Assert.Equal(SignatureCheck.Valid, r.Signature));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
    }

    /// <summary>The local host running the built worker (<c>Aftercare.Functions.dll</c>) as a child process, on Azurite and Prism.</summary>
    private sealed class ProcessApp : IAsyncDisposable
    {
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

        public static async Task<ProcessApp> StartAsync(Infrastructure infrastructure)
        {
            var prefix = AzuriteFixture.UniquePrefix();
            var host = new FunctionsHost.FunctionsHost(new FunctionsHostOptions
            {
                AppDirectory = RepositoryPaths.FunctionsAppDirectory,
                FunctionKey = FunctionKey,
                MasterKey = MasterKey,
                RestartDelay = TimeSpan.FromMilliseconds(200),
                AppSettings = new Dictionary<string, string?>(TestKeys.AppSettings, StringComparer.Ordinal)
                {
                    ["Aftercare__Storage__ConnectionString"] = infrastructure.Azurite.ConnectionString,
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

        /// <summary>
        /// A clinic made through the admin API whose alert URL is a loopback receiver, written on the stored row (the API
        /// takes public https URLs only).
        /// </summary>
        public async Task<(ClinicCredentials Clinic, AlertReceiver Receiver)> ClinicWithReceiverAsync()
        {
            using var created = await Admin.PostAsync("/api/manage/clinics", Json(new
            {
                name = "Riverside Skin Clinic",
                timeZone = "Europe/London",
                senderPhone = Sender,
                bookingUrl = "https://book.example.com/riverside",
                contactPhone = "+442079460000",
                defaultLocale = "en",
            }));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await created.ReadJsonAsync();
            var clinic = new ClinicCredentials(body.GetProperty("clinicId").GetString()!, body.GetProperty("webhookSecret").GetString()!);
            var receiver = await AlertReceiver.StartAsync(clinic.Secret, TimeProvider.System);
            var row = new TableEntity(clinic.Id, "clinic") { ["AlertWebhookUrl"] = receiver.Endpoint.ToString() };
            await Tables.GetTableClient(_prefix + "clinics").UpdateEntityAsync(row, Azure.ETag.All, TableUpdateMode.Merge);
            return (clinic, receiver);
        }

        public async Task RegisterAsync(ClinicCredentials clinic, string externalId)
        {
            var json = Registrations.Body(externalId, DateTimeOffset.UtcNow.AddHours(-20));
            var bytes = Encoding.UTF8.GetBytes(json);
            using var request = new HttpRequestMessage(HttpMethod.Post, clinic.TreatmentsPath) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation(
                ClinicSignature.HeaderName, ClinicSignature.Create(clinic.Secret, SystemClock.Instance.GetCurrentInstant(), "POST", clinic.TreatmentsPath, bytes));
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
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
}
