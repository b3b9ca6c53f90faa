using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aftercare.Core.Security;
using Aftercare.Testing;
using NodaTime;
using Xunit;
using static Aftercare.Functions.Tests.InboundPosts;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The clinic API against its own OpenAPI document (<c>openapi/aftercare.yaml</c>): every request goes through Prism in
/// validation-proxy mode in front of the real app (local host and worker), so a request the document does not allow
/// never reaches the app, and an answer the document does not describe (a renamed or missing field, a value outside an
/// enum, a wrong type or media type, a status it does not list) fails the test. The document cannot drift from the code.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class OpenApiContractTests(Infrastructure infrastructure)
{
    private static readonly string DocumentPath = Path.Combine(RepositoryPaths.Root, "openapi", "aftercare.yaml");

    /// <summary>An hour after the treatment, in London's daytime: the welcome text is due and within its window.</summary>
    private static readonly DateTimeOffset Now = TreatedAt.AddMinutes(15);

    [Fact]
    public async Task Register_read_cancel_erase_and_preview_through_prism_match_the_document_and_so_do_their_errors()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        await using var prism = await PrismProxy.StartAsync(DocumentPath, host.Http.BaseAddress!);
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        using var api = new ContractClient(prism, host.Clock);
        var treatments = clinic.TreatmentsPath;

        // Registration: 201, the same again 200, the same externalId with another body 409.
        var body = Registrations.Body("visit-1001", TreatedAt);
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, treatments, clinic.Secret, body);
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal(6, created.GetProperty("messages").GetArrayLength());
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, treatments, clinic.Secret, body);
        var conflict = await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, treatments, clinic.Secret, Registrations.Body("visit-1001", TreatedAt, firstName: "Zoe"));
        Assert.True(conflict.GetProperty("errors").TryGetProperty("client.firstName", out _));

        // Bad input the document allows but the app refuses: a validation problem naming the field; a wrong signature 401.
        var invalid = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, treatments, clinic.Secret, Registrations.Body("visit-1002", TreatedAt, phone: "+441632960000"));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("client.phone", out _));
        var noConsent = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, treatments, clinic.Secret, Registrations.Body("visit-1003", TreatedAt).Replace("\"sms\":true", "\"sms\":false", StringComparison.Ordinal));
        Assert.True(noConsent.GetProperty("errors").TryGetProperty("consent.sms", out _));
        await api.ExpectAsync(HttpStatusCode.Unauthorized, HttpMethod.Post, treatments, "not-the-clinics-secret", Registrations.Body("visit-1004", TreatedAt));
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"{treatments}/visit-9999", clinic.Secret);

        // Sent through Twilio (Prism mocking Twilio's own document), then replies: a keyword and an urgent text whose
        // alert is delivered. The timeline shows the SID, the replies with their triage and the alert.
        Assert.Equal(1, (await host.InvokeTimerAsync()).Sent);
        using (var help = await PostSignedAsync(host, InboundPath, Form("SM" + new string('c', 31) + "1", "HELP")))
        {
            Assert.Equal(HttpStatusCode.OK, help.StatusCode);
        }

        using (var urgent = await PostSignedAsync(host, InboundPath, Form("SM" + new string('c', 31) + "2", "my face is really swollen and theres pus coming out")))
        {
            Assert.Equal(HttpStatusCode.OK, urgent.StatusCode);
        }

        await host.InvokeAlertsAsync();
        var timeline = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{treatments}/visit-1001", clinic.Secret);
        Assert.Equal("sent", Registrations.Status(timeline, "welcome-redness"));
        var replies = Replies(timeline);
        Assert.Equal(["help", "text"], replies.Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, replies[0].GetProperty("triage").ValueKind);
        Assert.Equal("urgent", replies[1].GetProperty("triage").GetString());
        Assert.Equal("delivered", replies[1].GetProperty("alert").GetProperty("status").GetString());

        // A client who replies STOP: the pending texts are suppressed, and a later registration is accepted as opted-out.
        var spanish = Registrations.Body("visit-2001", TreatedAt, phone: SpanishPhone).Replace("\"locale\":\"en\"", "\"locale\":\"es\"", StringComparison.Ordinal);
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, treatments, clinic.Secret, spanish);
        using (var stop = await PostSignedAsync(host, InboundPath, Form("SM" + new string('c', 31) + "3", "STOP", from: SpanishPhone)))
        {
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }

        var suppressed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{treatments}/visit-2001", clinic.Secret);
        Assert.Equal("suppressed", Registrations.Status(suppressed, "sun-protection"));
        Assert.Equal("opt-out", Assert.Single(Replies(suppressed)).GetProperty("kind").GetString());
        var optedOut = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, treatments, clinic.Secret, spanish.Replace("visit-2001", "visit-2002", StringComparison.Ordinal));
        Assert.Equal("opted-out", optedOut.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, optedOut.GetProperty("statusReason").ValueKind);

        // Cancel: the pending texts become cancelled.
        var cancelled = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"{treatments}/visit-1001", clinic.Secret);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("cancelled", Registrations.Status(cancelled, "sun-protection"));

        // Erase: counts, the same again; the timeline then holds no text. An unknown number 404, an impossible one 400.
        var phonePath = $"/api/clinics/{clinic.Id}/clients/%2B{Registrations.Phone.TrimStart('+')}";
        var erased = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, phonePath, clinic.Secret);
        Assert.Equal(1, erased.GetProperty("erasedTreatments").GetInt32());
        Assert.Equal(erased.ToString(), (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, phonePath, clinic.Secret)).ToString());
        var afterErasure = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"{treatments}/visit-1001", clinic.Secret);
        Assert.NotEqual(JsonValueKind.Null, afterErasure.GetProperty("erasedAtUtc").ValueKind);
        Assert.All(Replies(afterErasure), reply => Assert.Equal(JsonValueKind.Null, reply.GetProperty("text").ValueKind));
        await api.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/%2B447400123499", clinic.Secret);
        var impossible = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/%2B12", clinic.Secret);
        Assert.True(impossible.GetProperty("errors").TryGetProperty("phone", out _));

        // Preview (function key only): both languages; an unknown plan and zone are a validation problem.
        foreach (var locale in new[] { "en", "es" })
        {
            var preview = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/plans/microneedling-default/preview?performedAt=2026-11-21T14:30:00Z&timeZone=Europe/London&locale={locale}");
            Assert.All(preview.GetProperty("messages").EnumerateArray(), m => Assert.Equal(locale, m.GetProperty("locale").GetString()));
        }

        var badPreview = await api.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/plans/no-such-plan/preview?performedAt=2026-11-21T14:30:00Z&timeZone=Mars/Olympus");
        Assert.True(badPreview.GetProperty("errors").TryGetProperty("planId", out _));
        Assert.True(badPreview.GetProperty("errors").TryGetProperty("timeZone", out _));
    }

    [Fact]
    public async Task The_document_is_served_anonymously_as_committed()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        await using var prism = await PrismProxy.StartAsync(DocumentPath, host.Http.BaseAddress!);
        using var anonymous = new HttpClient { BaseAddress = prism.BaseUri };

        using var response = await anonymous.GetAsync(new Uri("/api/openapi.yaml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("sl-violations"), string.Join(" ", response.Headers.TryGetValues("sl-violations", out var v) ? v : []));
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(DocumentPath), await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>
    /// The check can fail: the same registration through Prism holding a copy of the document in which one response
    /// field is renamed is refused by Prism (a 500 "violations" problem instead of the app's 201).
    /// </summary>
    [Fact]
    public async Task A_document_that_drifted_from_the_code_fails_the_contract()
    {
        var drifted = Path.Combine(Path.GetTempPath(), $"aftercare-drifted-{Guid.NewGuid():N}.yaml");
        var original = await File.ReadAllTextAsync(DocumentPath);
        var renamed = original
            .Replace("required: [treatmentId, externalId,", "required: [treatmentRef, externalId,", StringComparison.Ordinal)
            .Replace("        treatmentId:\n          type: string\n          pattern:", "        treatmentRef:\n          type: string\n          pattern:", StringComparison.Ordinal);
        Assert.NotEqual(original, renamed);
        Assert.Equal(2, renamed.Split("treatmentRef").Length - 1);
        await File.WriteAllTextAsync(drifted, renamed);
        try
        {
            await using var host = await AftercareApp.StartAsync(infrastructure, Now);
            await using var prism = await PrismProxy.StartAsync(drifted, host.Http.BaseAddress!);
            var clinic = await Clinics.CreateAsync(host);
            using var api = new ContractClient(prism, host.Clock);

            using var response = await api.SendAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1001", TreatedAt));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(PrismProxy.ViolationsProblemType, problem.GetProperty("type").GetString());
            Assert.Contains("treatmentRef", problem.GetProperty("validation").ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(drifted);
        }
    }

    /// <summary>Clinic requests through the proxy, with the function key and, for clinic routes, the clinic's signature.</summary>
    private sealed class ContractClient(PrismProxy prism, TimeProvider clock) : IDisposable
    {
        private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly HttpClient _http = CreateClient(prism.BaseUri);

        /// <summary>
        /// Sends the request and asserts Prism passed it and its answer: the app's own status (not one Prism made up),
        /// no violation at all in <c>sl-violations</c>, and the media type the document gives; returns the JSON body.
        /// </summary>
        public async Task<JsonElement> ExpectAsync(HttpStatusCode expected, HttpMethod method, string pathAndQuery, string? secret = null, string? json = null)
        {
            using var response = await SendAsync(method, pathAndQuery, secret, json);
            var text = await response.Content.ReadAsStringAsync();
            var violations = response.Headers.TryGetValues("sl-violations", out var values) ? string.Join(" ", values) : null;
            var context = $"{method} {pathAndQuery} → {(int)response.StatusCode}: {text} {violations}\n{prism.Output[^Math.Min(prism.Output.Length, 4000)..]}";
            Assert.True(violations is null, context);
            Assert.True(expected == response.StatusCode, context);
            var body = JsonDocument.Parse(text).RootElement.Clone();
            if ((int)expected >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain(PrismProxy.PrismProblemTypePrefix, body.GetProperty("type").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            }

            return body;
        }

        /// <summary>
        /// A request as a clinic sends it; signed when <paramref name="secret"/> is given. The body is compact JSON, which
        /// Prism forwards byte for byte (<see cref="PrismProxy"/>), so the signature over it still holds at the app.
        /// </summary>
        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery, string? secret = null, string? json = null)
        {
            var body = json is null ? [] : Encoding.UTF8.GetBytes(Compact(json));
            var uri = new Uri(prism.BaseUri, new Uri(pathAndQuery, UriKind.Relative));
            var request = new HttpRequestMessage(method, new Uri(uri.ToString(), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
            if (json is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (secret is not null)
            {
                var at = Instant.FromDateTimeOffset(clock.GetUtcNow());
                request.Headers.TryAddWithoutValidation(ClinicSignature.HeaderName, ClinicSignature.Create(secret, at, method.Method, pathAndQuery, body));
            }

            return _http.SendAsync(request);
        }

        public void Dispose() => _http.Dispose();

        /// <summary>
        /// The JSON as JavaScript's <c>JSON.stringify</c> writes it back: System.Text.Json's default encoder escapes <c>+</c>
        /// (<c>\u002B</c>), which Prism would forward as <c>+</c>, changing the signed bytes. The test bodies are ASCII.
        /// </summary>
        private static string Compact(string json)
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, RelaxedJson);
        }

        private static HttpClient CreateClient(Uri baseUri)
        {
            var client = new HttpClient { BaseAddress = baseUri };
            client.DefaultRequestHeaders.Add("x-functions-key", AftercareApp.FunctionKey);
            return client;
        }
    }
}
