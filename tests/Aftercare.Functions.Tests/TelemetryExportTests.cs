using System.Net;
using System.Text;
using Aftercare.Functions.Telemetry;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Microsoft.ApplicationInsights;
using Xunit;
using Xunit.Abstractions;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Issue 15's telemetry must-show: the worker under the local Functions host, exporting to an Application Insights
/// ingestion stand-in, driven through a registration, a dispatch that sends, a status callback and bad requests.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class TelemetryExportTests(Infrastructure infrastructure, ITestOutputHelper output)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    // What the test puts in, none of which may reach telemetry.
    private const string Phone = "+447400123987";
    private const string FirstName = "Theodora";
    private const string StatusCallbackTo = "+447700900123";

    private const string RegistrationTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallbackTrace = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task Requests_invocations_and_dependencies_arrive_as_aftercare_correlated_and_without_personal_data()
    {
        await using var ingestion = await IngestionStandIn.StartAsync();
        Environment.SetEnvironmentVariable(TelemetryRegistration.ConnectionStringKey, ingestion.ConnectionString);
        try
        {
            await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
            var telemetry = host.Services.GetRequiredService<TelemetryClient>();
            var clinic = await Clinics.CreateAsync(host);

            using var registration = Traced(
                await SignedRequestAsync(host, clinic, Registrations.Body("ext-tel-1", TreatedAt, phone: Phone, firstName: FirstName)), RegistrationTrace);
            using var created = await host.Http.SendAsync(registration);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

            var report = await host.InvokeTimerAsync();
            Assert.Equal(1, report.Sent);

            var create = Assert.Single(host.Twilio.Requests, r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal));
            var text = System.Web.HttpUtility.ParseQueryString(create.Body!)["Body"]!;
            var callbackUrl = new Uri(System.Web.HttpUtility.ParseQueryString(create.Body!)["StatusCallback"]!);
            var sid = await SentSidAsync(host);
            using var callback = Traced(Callback(callbackUrl, sid), CallbackTrace);
            using var callbackResponse = await host.Anonymous.SendAsync(callback);
            Assert.Equal(HttpStatusCode.NoContent, callbackResponse.StatusCode);

            // Bad requests: unsigned, malformed JSON, a forged Twilio callback.
            using var unsigned = await host.Http.PostAsync(clinic.TreatmentsPath, new StringContent(Registrations.Body("ext-tel-2", TreatedAt, phone: Phone, firstName: FirstName), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            using var malformed = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, "{\"externalId\": \"ext-tel-3\", \"client\": {\"firstName\": \"" + FirstName + "\", \"phone\": \"" + Phone + "\"");
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            using var forged = await host.Anonymous.PostAsync(callbackUrl.PathAndQuery, new FormUrlEncodedContent(CallbackForm(sid)));
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

            // The client books again: the first treatment's rebooking prompts are cancelled (RebookPromptsCancelled).
            using var rebooked = await host.SendSignedAsync(
                HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-tel-4", TreatedAt.AddMinutes(10), phone: Phone, firstName: FirstName));
            Assert.Equal(HttpStatusCode.Created, rebooked.StatusCode);

            // The clinic cancels: the texts still scheduled are cancelled.
            using var cancelled = await host.SendSignedAsync(HttpMethod.Delete, $"{clinic.TreatmentsPath}/ext-tel-1", clinic.Secret);
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

            // Events are tracked before their invocation ends; metrics go on a flush.
            Task Flush() => telemetry.FlushAsync(CancellationToken.None);
            await ingestion.WaitForAsync(i => i.Name == "StatusCallbackReceived", TimeSpan.FromSeconds(60), Flush);
            var cancellation = await ingestion.WaitForAsync(i => i.Name == "TreatmentCancelled", TimeSpan.FromSeconds(60), Flush);
            Assert.Equal(clinic.Id, cancellation.Property("ClinicId"));
            Assert.True(int.Parse(cancellation.Property("Messages")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
            var rebook = await ingestion.WaitForAsync(i => i.Name == "RebookPromptsCancelled", TimeSpan.FromSeconds(60), Flush);
            Assert.Equal(clinic.Id, rebook.Property("ClinicId"));
            Assert.Equal("2", rebook.Property("Messages")); // rebook and rebook-reminder of the first treatment.
            await ingestion.WaitForAsync(i => i.BaseType == "MetricData", TimeSpan.FromSeconds(60), Flush);

            // The Twilio send gate's meter is forwarded by the worker's composition root: the create waited at the gate.
            await ingestion.WaitForAsync(i => i.BaseType == "MetricData" && i.BaseData.GetProperty("metrics")[0].GetProperty("name").GetString() == "aftercare.twilio.send_gate.wait", TimeSpan.FromSeconds(60), Flush);
            var items = ingestion.Items;
            foreach (var item in items)
            {
                output.WriteLine($"{item.BaseType} {item.Name} type={item.DependencyType} op={item.OperationId} parent={item.ParentId}");
            }

            // Every item is the app's.
            Assert.All(items, item => Assert.Equal(CloudRoleInitializer.RoleName, item.CloudRole));

            // A traceparent sent in is honoured: the invocation, its Table calls, its logs and its events share its trace.
            var registered = Invocation(items, RegistrationTrace);
            Assert.Contains(items, i => i.OperationId == RegistrationTrace && IsTableCall(i));
            Assert.Contains(items, i => i.OperationId == RegistrationTrace && i.BaseType == "MessageData");
            var called = Invocation(items, CallbackTrace);
            var callbackEvent = Assert.Single(items, i => i.Name == "StatusCallbackReceived");
            Assert.Equal(CallbackTrace, callbackEvent.OperationId);
            Assert.Equal("delivered", callbackEvent.Property("Status"));
            Assert.Contains(items, i => i.OperationId == CallbackTrace && IsTableCall(i));

            // The dispatch timer's invocation (a trace of its own) holds the Twilio call, Table calls, logs and the event.
            var sent = Assert.Single(items, i => i.Name == "MessageSent");
            var dispatch = Invocation(items, sent.OperationId!);
            Assert.Equal(dispatch.Id, sent.ParentId);
            Assert.Contains(items, i => i.OperationId == dispatch.OperationId && IsTwilioCall(i, infrastructure.Prism.BaseUri));
            Assert.Contains(items, i => i.OperationId == dispatch.OperationId && IsTableCall(i));
            Assert.Contains(items, i => i.OperationId == dispatch.OperationId && i.BaseType == "MessageData" && i.BaseData.GetProperty("message").GetString()!.Contains("Sent welcome-redness", StringComparison.Ordinal));
            Assert.DoesNotContain(items, i => IsTwilioCall(i, infrastructure.Prism.BaseUri) && i.OperationId != dispatch.OperationId);
            Assert.Equal(3, new[] { registered.OperationId, called.OperationId, dispatch.OperationId }.Distinct().Count());

            // Pre-aggregated metrics summarise many invocations: none carries an operation id.
            Assert.All(items.Where(i => i.BaseType == "MetricData"), metric => Assert.Null(metric.OperationId));

            // Not one phone number, first name or message text, in any form, in anything sent.
            var everything = string.Join('\n', ingestion.Bodies);
            foreach (var secret in new[] { Phone, Phone[1..], Uri.EscapeDataString(Phone), FirstName, text, text[..Math.Min(40, text.Length)], StatusCallbackTo, StatusCallbackTo[1..] })
            {
                Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(TelemetryRegistration.ConnectionStringKey, null);
        }
    }

    /// <summary>The worker's one invocation activity (an <c>InProc</c> dependency named <c>Invoke</c>) in a trace.</summary>
    private static TelemetryItem Invocation(IReadOnlyList<TelemetryItem> items, string operationId) =>
        Assert.Single(items, i => i.Name == "Invoke" && i.DependencyType == "InProc" && i.OperationId == operationId);

    /// <summary>Azurite's account in the URL, or the Azure SDK's Tables scope (<c>TableClient.*</c>).</summary>
    private static bool IsTableCall(TelemetryItem item) =>
        item.BaseType == "RemoteDependencyData" && (item.Name?.StartsWith("TableClient.", StringComparison.Ordinal) == true || item.Name?.Contains("/devstoreaccount1/", StringComparison.Ordinal) == true);

    private static bool IsTwilioCall(TelemetryItem item, Uri twilio) =>
        item.BaseType == "RemoteDependencyData" && item.DependencyType == "Http" && item.Name?.Contains("/Messages.json", StringComparison.Ordinal) == true
        && item.BaseData.GetProperty("target").GetString() == twilio.Authority;

    private static Task<HttpRequestMessage> SignedRequestAsync(AftercareApp host, ClinicCredentials clinic, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, clinic.TreatmentsPath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var at = NodaTime.Instant.FromDateTimeOffset(host.Clock.GetUtcNow());
        request.Headers.TryAddWithoutValidation(Core.Security.ClinicSignature.HeaderName, Core.Security.ClinicSignature.Create(clinic.Secret, at, "POST", clinic.TreatmentsPath, body));
        return Task.FromResult(request);
    }

    private static HttpRequestMessage Traced(HttpRequestMessage request, string traceId)
    {
        request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
        return request;
    }

    private static async Task<string> SentSidAsync(AftercareApp host)
    {
        var sids = new List<string>();
        foreach (var row in await host.RawEntitiesAsync())
        {
            if (row.GetString("ProviderMessageId") is { Length: > 0 } sid)
            {
                sids.Add(sid);
            }
        }

        return Assert.Single(sids.Distinct());
    }

    private static Dictionary<string, string> CallbackForm(string sid) => new()
    {
        ["AccountSid"] = AftercareApp.TwilioAccountSid,
        ["MessageSid"] = sid,
        ["SmsSid"] = sid,
        ["MessageStatus"] = "delivered",
        ["SmsStatus"] = "delivered",
        ["To"] = StatusCallbackTo,
        ["From"] = "+15005550006",
        ["ApiVersion"] = "2010-04-01",
    };

    private static HttpRequestMessage Callback(Uri callbackUrl, string sid)
    {
        var form = CallbackForm(sid);
        var request = new HttpRequestMessage(HttpMethod.Post, callbackUrl.PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, TwilioSignature.Compute(AftercareApp.TwilioAuthToken, callbackUrl.ToString(), form));
        return request;
    }
}
