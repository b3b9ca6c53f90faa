using System.Net;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Clinics override their booking link, contact phone, quiet hours and the text of any stage per locale.</summary>
[Collection(SharedInfrastructure.Name)]
public sealed class ClinicAdminTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Overrides_apply_to_treatments_registered_afterwards()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        const string Welcome = "Hi {firstName}, from {clinicName}: mild redness for a few days is normal. Questions? {clinicPhone}. Reply STOP to opt out.";

        using var patched = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new
        {
            contactPhone = "+442079460999",
            quietHours = new { start = "21:00", end = "08:00" },
            templateOverrides = new Dictionary<string, Dictionary<string, string?>> { ["welcome-redness"] = new() { ["en"] = Welcome } },
        }));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.ReadJsonAsync();
        Assert.Equal("21:00", body.GetProperty("quietHours").GetProperty("start").GetString());
        Assert.Equal(Welcome, body.GetProperty("templateOverrides").GetProperty("welcome-redness").GetProperty("en").GetString());

        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-o-1", Now.AddMinutes(-10)));
        var timeline = await created.ReadJsonAsync();
        Assert.Equal(
            "Hi Maya, from Riverside Skin Clinic: mild redness for a few days is normal. Questions? +442079460999. Reply STOP to opt out.",
            Registrations.Message(timeline, "welcome-redness").GetProperty("text").GetString());
        Assert.Contains("+442079460999", Registrations.Message(timeline, "healing-check").GetProperty("text").GetString(), StringComparison.Ordinal);

        // Removing the override brings the plan's own text back.
        using var removed = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new
        {
            templateOverrides = new Dictionary<string, Dictionary<string, string?>> { ["welcome-redness"] = new() { ["en"] = null } },
        }));
        Assert.False((await removed.ReadJsonAsync()).GetProperty("templateOverrides").TryGetProperty("welcome-redness", out _));
    }

    [Fact]
    public async Task Bad_overrides_are_refused_field_by_field_and_change_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);

        using var response = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new
        {
            bookingUrl = "https://book.example.com/[a]",
            templateOverrides = new Dictionary<string, Dictionary<string, string?>>
            {
                ["no-such-stage"] = new() { ["en"] = "Hello" },
                ["patch-test"] = new() { ["fr"] = "Bonjour", ["es"] = "Hola {name}", ["en"] = new string('x', 400) },
            },
        }));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "bookingUrl", "templateOverrides.no-such-stage", "templateOverrides.patch-test.fr", "templateOverrides.patch-test.es", "templateOverrides.patch-test.en" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        using var read = await host.Admin.GetAsync($"/api/manage/clinics/{clinic.Id}");
        var stored = await read.ReadJsonAsync();
        Assert.Equal("https://book.example.com/riverside", stored.GetProperty("bookingUrl").GetString());
        Assert.Empty(stored.GetProperty("templateOverrides").EnumerateObject());
        Assert.False(stored.TryGetProperty("webhookSecret", out _));
    }

    [Theory]
    [InlineData("http://alerts.example.com/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.7/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://user:secret@alerts.example.com/hook")]
    public async Task Alert_urls_that_are_not_public_https_are_refused_at_create_and_update(string url)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        using var created = await host.PostJsonAsync(host.Admin, "/api/manage/clinics", new
        {
            name = "Riverside Skin Clinic",
            timeZone = "Europe/London",
            senderPhone = "+15005550006",
            bookingUrl = "https://book.example.com/riverside",
            contactPhone = "+442079460000",
            alertWebhookUrl = url,
        });
        var problem = await created.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("alertWebhookUrl", out _));

        var clinic = await Clinics.CreateAsync(host);
        using var patched = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new { alertWebhookUrl = url }));
        problem = await patched.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("alertWebhookUrl", out _));

        using var accepted = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new { alertWebhookUrl = "https://alerts.example.com/hook?clinic=riverside" }));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("https://alerts.example.com/hook?clinic=riverside", (await accepted.ReadJsonAsync()).GetProperty("alertWebhookUrl").GetString());
    }

    [Fact]
    public async Task An_alert_url_can_be_removed_with_an_empty_string_and_is_kept_when_absent()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var set = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new { alertWebhookUrl = "https://alerts.example.com/hook" }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        using var untouched = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new { contactPhone = "+442079460999" }));
        Assert.Equal("https://alerts.example.com/hook", (await untouched.ReadJsonAsync()).GetProperty("alertWebhookUrl").GetString());

        using var removed = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Json(new { alertWebhookUrl = "" }));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        using var read = await host.Admin.GetAsync($"/api/manage/clinics/{clinic.Id}");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await read.ReadJsonAsync()).GetProperty("alertWebhookUrl").ValueKind);
    }

    [Fact]
    public async Task Unknown_clinics_are_404_problems()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        using var get = await host.Admin.GetAsync("/api/manage/clinics/cl_00000000000000000001");
        await get.AssertProblemAsync(HttpStatusCode.NotFound);
        using var patch = await host.Admin.PatchAsync("/api/manage/clinics/not-a-clinic", Json(new { contactPhone = "+442079460999" }));
        await patch.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static StringContent Json(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
