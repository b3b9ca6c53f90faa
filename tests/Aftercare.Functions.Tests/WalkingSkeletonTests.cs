using System.Net;
using System.Text.Json;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>The whole path over real HTTP: admin → signed registration → timeline → timer → Twilio (Prism).</summary>
[Collection(SharedInfrastructure.Name)]
public sealed class WalkingSkeletonTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Registration_is_scheduled_idempotent_signed_and_dispatched_once_per_stage()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host, timeZone: "Europe/London");

        // A signed registration: 201 with the six stages of the default plan, none due in quiet hours (20:00–09:00).
        var body = Registrations.Body("ext-1001", TreatedAt);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var timeline = await created.ReadJsonAsync();
        Assert.Equal(
            ["welcome-redness", "sun-protection", "healing-check", "patch-test", "rebook", "rebook-reminder"],
            timeline.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("stage").GetString()));
        foreach (var message in timeline.GetProperty("messages").EnumerateArray())
        {
            Assert.Equal("scheduled", message.GetProperty("status").GetString());
            var local = LocalDateTime.FromDateTime(DateTime.Parse(message.GetProperty("dueAtLocal").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.InRange(local.TimeOfDay, new LocalTime(9, 0), new LocalTime(19, 59, 59));
        }

        Assert.Equal("2026-11-20T14:30", Registrations.DueLocal(timeline, "welcome-redness"));
        Assert.Equal("2026-11-21T09:00", Registrations.DueLocal(timeline, "sun-protection"));
        Assert.Equal("2026-11-23T10:00", Registrations.DueLocal(timeline, "healing-check"));

        // The same externalId again: 200, the same body, nothing new stored.
        var stored = await host.CountStoredEntitiesAsync();
        using var again = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(timeline.ToString(), (await again.ReadJsonAsync()).ToString());
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());

        // The first sweep sends the welcome text through Twilio (Prism validates the request against Twilio's spec).
        var first = await host.InvokeTimerAsync();
        Assert.Equal(1, first.Sent);
        var afterFirst = await GetTimelineAsync(host, clinic, "ext-1001");
        Assert.Equal("sent", Registrations.Status(afterFirst, "welcome-redness"));
        Assert.StartsWith("SM", Registrations.Message(afterFirst, "welcome-redness").GetProperty("twilioSid").GetString(), StringComparison.Ordinal);
        Assert.Equal("scheduled", Registrations.Status(afterFirst, "sun-protection"));

        // Day 1, 09:00 local: the sun-protection text goes, and only it.
        host.Clock.Set(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        var second = await host.InvokeTimerAsync();
        Assert.Equal(1, second.Sent);
        var afterSecond = await GetTimelineAsync(host, clinic, "ext-1001");
        Assert.Equal("sent", Registrations.Status(afterSecond, "sun-protection"));
        Assert.Equal("scheduled", Registrations.Status(afterSecond, "healing-check"));

        // Again at the same moment: nothing is due, nothing is sent.
        var third = await host.InvokeTimerAsync();
        Assert.Equal(0, third.Sent);
        Assert.Equal(afterSecond.ToString(), (await GetTimelineAsync(host, clinic, "ext-1001")).ToString());

        Assert.Empty(host.Twilio.RequestViolations);
        Assert.Equal(2, host.Twilio.Requests.Count(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unsigned_tampered_stale_and_foreign_signatures_are_refused_with_401()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var other = await Clinics.CreateAsync(host);
        var body = Registrations.Body("ext-2001", TreatedAt);
        var stored = await host.CountStoredEntitiesAsync();

        using var unsigned = await host.Http.PostAsync(clinic.TreatmentsPath, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);

        var tamperedRequest = new HttpRequestMessage(HttpMethod.Post, clinic.TreatmentsPath)
        {
            Content = new StringContent(body.Replace("ext-2001", "ext-2002", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
        };
        tamperedRequest.Headers.TryAddWithoutValidation(
            Core.Security.ClinicSignature.HeaderName,
            Core.Security.ClinicSignature.Create(clinic.Secret, Instant.FromDateTimeOffset(host.Clock.GetUtcNow()), "POST", clinic.TreatmentsPath, System.Text.Encoding.UTF8.GetBytes(body)));
        using var tampered = await host.Http.SendAsync(tamperedRequest);
        await tampered.AssertProblemAsync(HttpStatusCode.Unauthorized);

        var stale = Instant.FromDateTimeOffset(host.Clock.GetUtcNow()) - Duration.FromSeconds(301);
        using var old = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body, stale);
        await old.AssertProblemAsync(HttpStatusCode.Unauthorized);

        using var foreign = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, other.Secret, body);
        await foreign.AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Fact]
    public async Task A_body_without_consent_is_a_400_problem_and_stores_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        var withoutConsent = Registrations.Body("ext-3001", TreatedAt, consent: false);
        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, withoutConsent);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("consent", out _));
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Fact]
    public async Task A_treatment_registered_in_the_evening_is_welcomed_when_quiet_hours_end()
    {
        var evening = new DateTimeOffset(2026, 11, 20, 21, 40, 0, TimeSpan.Zero);
        await using var host = await AftercareApp.StartAsync(infrastructure, evening.AddMinutes(5));
        var clinic = await Clinics.CreateAsync(host, timeZone: "Europe/London");

        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-4001", evening));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("2026-11-21T09:00", Registrations.DueLocal(await created.ReadJsonAsync(), "welcome-redness"));

        var tonight = await host.InvokeTimerAsync();
        Assert.Equal(0, tonight.Sent);
    }

    [Fact]
    public async Task One_clinic_cannot_read_or_cancel_another_clinics_treatment()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var owner = await Clinics.CreateAsync(host);
        var intruder = await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, owner.TreatmentsPath, owner.Secret, Registrations.Body("shared-id", TreatedAt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var read = await host.SendSignedAsync(HttpMethod.Get, intruder.TreatmentsPath + "/shared-id", intruder.Secret);
        await read.AssertProblemAsync(HttpStatusCode.NotFound);
        using var cancel = await host.SendSignedAsync(HttpMethod.Delete, intruder.TreatmentsPath + "/shared-id", intruder.Secret);
        await cancel.AssertProblemAsync(HttpStatusCode.NotFound);

        var timeline = await GetTimelineAsync(host, owner, "shared-id");
        Assert.Equal("active", timeline.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancelling_stops_every_pending_message()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-5001", TreatedAt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var cancelled = await host.SendSignedAsync(HttpMethod.Delete, clinic.TreatmentsPath + "/ext-5001", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var timeline = await cancelled.ReadJsonAsync();
        Assert.Equal("cancelled", timeline.GetProperty("status").GetString());
        Assert.All(timeline.GetProperty("messages").EnumerateArray(), m => Assert.Equal("cancelled", m.GetProperty("status").GetString()));

        var sweep = await host.InvokeTimerAsync();
        Assert.Equal(0, sweep.Sent);
    }

    private static async Task<JsonElement> GetTimelineAsync(AftercareApp host, ClinicCredentials clinic, string externalId)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/{externalId}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }
}
