using System.Net;
using System.Text.Json;
using System.Web;
using Aftercare.Core.Messaging;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The texts' rules over real HTTP, as the defects were found: names, clinic names and overrides held to two segments
/// after folding (defect 7), the opt-out line on the first text a number actually receives (defect 4), and a number
/// Twilio cannot text ending its treatment's other texts (defect 8).
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class TextRulesTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_first_name_of_twenty_ellipses_is_refused_and_one_within_its_cost_is_texted_in_two_segments()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        // Twenty characters, but sixty septets: '…' is sent as "...".
        using var refused = await host.SendSignedAsync(
            HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-dots", Now, firstName: new string('\u2026', 20)));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("client.firstName").EnumerateArray()).GetString();
        Assert.Equal("At most 20 characters as sent in a text, where … counts 3 and each of € [ ] { } ~ | ^ \\ counts 2.", error);
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());

        // Exactly twenty units of costly characters: accepted, and the welcome goes in at most two segments.
        using var accepted = await host.SendSignedAsync(
            HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-costly", Now, firstName: "Ana \u2026\u2026 [Jo] €"));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(1, (await host.InvokeTimerAsync()).Sent);
        var text = Assert.Single(SentTexts(host));
        Assert.StartsWith("Hi Ana ...... [Jo] €, thank you", text, StringComparison.Ordinal);
        Assert.InRange(SmsText.Measure(text).Segments, 1, 2);
    }

    [Fact]
    public async Task A_clinic_name_and_an_override_are_held_to_what_they_cost_with_the_opt_out_line()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        using var dotted = await host.PostJsonAsync(host.Admin, "/api/manage/clinics", new
        {
            name = "Glow" + new string('\u2026', 10),
            timeZone = "Europe/London",
            senderPhone = "+15005550006",
            bookingUrl = "https://book.example.com/glow",
            contactPhone = "+442079460000",
        });
        var problem = await dotted.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));

        // 290 septets with the longest values: two segments alone, three with the opt-out line a first text adds.
        var clinic = await Clinics.CreateAsync(host);
        var template = "Hi {firstName}, " + new string('a', 290 - "Hi , ".Length - 20 - " Riverside Skin & Laser Studio.".Length) + " {clinicName}";
        using var patched = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new
        {
            templateOverrides = new Dictionary<string, Dictionary<string, string?>> { ["healing-check"] = new() { ["en"] = template } },
        }));

        problem = await patched.AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("templateOverrides.healing-check.en").EnumerateArray()).GetString();
        Assert.Contains("with the longest allowed values and the opt-out line it takes 313 Gsm7 units", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_treatment_registered_three_days_late_sends_its_first_text_with_the_opt_out_line()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-late", Now.AddDays(-3)));
        var registered = await created.ReadJsonAsync();
        Assert.Equal("skipped", Registrations.Status(registered, "welcome-redness"));
        Assert.Equal("skipped", Registrations.Status(registered, "sun-protection"));

        Assert.Equal(1, (await host.InvokeTimerAsync()).Sent);

        var text = Assert.Single(SentTexts(host));
        Assert.StartsWith("Hi Maya, your redness should be fading by now.", text, StringComparison.Ordinal);
        Assert.EndsWith("Riverside Skin Clinic\nReply STOP to opt out.", text, StringComparison.Ordinal);
        var timeline = await TimelineAsync(host, clinic, "visit-late");
        Assert.Equal("sent", Registrations.Status(timeline, "healing-check"));
        Assert.Equal(text, Registrations.Message(timeline, "healing-check").GetProperty("text").GetString());
        Assert.Empty(host.Twilio.RequestViolations);
    }

    [Theory]
    [InlineData(TwilioStandInFault.InvalidNumber, "21211")]
    [InlineData(TwilioStandInFault.NotMobile, "21614")]
    public async Task A_number_twilio_cannot_text_fails_its_text_and_skips_the_rest_on_the_timeline(TwilioStandInFault fault, string code)
    {
        await using var twilio = await TwilioStandIn.StartAsync();
        twilio.EnqueueFaults(fault);
        await using var host = await AftercareApp.StartAsync(infrastructure, Now, services => services.Replace(ServiceDescriptor.Singleton(sp =>
            TwilioRestClientFactory.Create(At(sp.GetRequiredService<TwilioOptions>(), twilio.BaseUri), TimeProvider.System))));
        var clinic = await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-dead", Now));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await host.InvokeTimerAsync();

        var timeline = await TimelineAsync(host, clinic, "visit-dead");
        var welcome = Registrations.Message(timeline, "welcome-redness");
        Assert.Equal(("failed", code), (welcome.GetProperty("status").GetString(), welcome.GetProperty("errorCode").GetString()));
        foreach (var stage in new[] { "sun-protection", "healing-check", "patch-test", "rebook", "rebook-reminder" })
        {
            var message = Registrations.Message(timeline, stage);
            Assert.Equal(
                ("skipped", $"Not sent: the number cannot receive texts (Twilio error {code} on welcome-redness).", code),
                (message.GetProperty("status").GetString(), message.GetProperty("statusReason").GetString(), message.GetProperty("errorCode").GetString()));
        }

        Assert.Single(twilio.CreateRequests);
        Assert.Empty(twilio.Created);
    }

    private static TwilioOptions At(TwilioOptions options, Uri baseUri) => new()
    {
        AccountSid = options.AccountSid,
        AuthToken = options.AuthToken,
        BaseUri = baseUri,
        RequestTimeout = options.RequestTimeout,
        Resilience = options.Resilience,
    };

    /// <summary>The Body of every create request the app sent to Twilio (Prism), in order.</summary>
    private static List<string> SentTexts(AftercareApp host) =>
        [.. host.Twilio.Requests
            .Where(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal))
            .Select(r => HttpUtility.ParseQueryString(r.Body!)["Body"]!)];

    private static async Task<JsonElement> TimelineAsync(AftercareApp host, ClinicCredentials clinic, string externalId)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/{externalId}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
