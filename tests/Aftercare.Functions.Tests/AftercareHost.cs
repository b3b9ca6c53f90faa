using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aftercare.Core.Security;
using Aftercare.Functions.Hosting;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The real handler on Kestrel (a loopback port), wired to Azurite and to Prism serving Twilio's OpenAPI description,
/// with a clock the test moves. Fresh tables per instance, so no test sees another's data.
/// </summary>
public sealed class AftercareHost : IAsyncDisposable
{
    public const string TwilioAccountSid = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string TwilioAuthToken = "test-auth-token-0123456789abcdef";

    private readonly WebApplication _app;

    private AftercareHost(WebApplication app, ManualClock clock, HttpClient http, string tablePrefix, TableServiceClient tables, PrismRecorder violations, LogCapture logs)
    {
        Logs = logs;
        _app = app;
        Clock = clock;
        Http = http;
        TablePrefix = tablePrefix;
        Tables = tables;
        Twilio = violations;
    }

    public ManualClock Clock { get; }

    /// <summary>Everything the handler logged, at every level.</summary>
    public LogCapture Logs { get; }

    public HttpClient Http { get; }

    public string TablePrefix { get; }

    public TableServiceClient Tables { get; }

    /// <summary>What Prism found wrong with our requests to Twilio; a correct client leaves this empty.</summary>
    public PrismRecorder Twilio { get; }

    public static async Task<AftercareHost> StartAsync(Infrastructure infrastructure, DateTimeOffset now)
    {
        var clock = new ManualClock(now);
        var prefix = AzuriteFixture.UniquePrefix();
        var violations = new PrismRecorder();
        var builder = AftercareApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aftercare:Storage:ConnectionString"] = infrastructure.Azurite.ConnectionString,
            ["Aftercare:Storage:TablePrefix"] = prefix,
            ["Aftercare:Dispatch:RunInProcess"] = "false",
            ["Aftercare:PublicBaseUrl"] = "https://aftercare.example",
            ["Aftercare:Twilio:AccountSid"] = TwilioAccountSid,
            ["Aftercare:Twilio:AuthToken"] = TwilioAuthToken,
            ["Aftercare:Twilio:BaseUri"] = infrastructure.Prism.BaseUri.ToString(),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new LogCapture();
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(sp => TwilioRestClientFactory.Create(
            sp.GetRequiredService<TwilioOptions>(), clock, PrismServer.CreateRecordingHandler(violations)));

        var app = AftercareApplication.Build(builder);
        await app.Services.EnsureStorageAsync();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var http = new HttpClient { BaseAddress = new Uri(address) };
        return new AftercareHost(app, clock, http, prefix, new TableServiceClient(infrastructure.Azurite.ConnectionString), violations, logs);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) =>
        Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    /// <summary>Sends a clinic request signed the way DESIGN.md specifies; <paramref name="signatureAt"/> defaults to now.</summary>
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

    /// <summary>Invokes the timer function exactly as the Functions host does.</summary>
    public async Task<JsonElement> InvokeTimerAsync()
    {
        const string payload = """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},
             "Metadata":{"sys":{"MethodName":"DispatchDueMessages","UtcNow":"2026-11-21T09:00:00Z","RandGuid":"5b2fc6ae-e5a4-4b43-a0b4-0d4f5e1bd2b7"}}}
            """;
        using var response = await Http.PostAsync("/DispatchDueMessages", new StringContent(payload, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Every entity in every table of this host: what "stores nothing" is checked against.</summary>
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

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
