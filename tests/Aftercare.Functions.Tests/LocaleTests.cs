using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// A locale is one the plans carry a text for in every stage (today "en" and "es"), spelled exactly; any other is a
/// 400 listing the supported ones, on registrations, previews, clinic defaults and template overrides alike.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class LocaleTests(Infrastructure infrastructure)
{
    private const string Supported = "Supported locales: en, es.";
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("xx")]
    [InlineData("EN")]
    [InlineData("en-GB")]
    [InlineData("en\n")]
    [InlineData("")]
    public async Task An_unknown_client_locale_is_a_400_listing_the_supported_ones_and_stores_nothing(string locale)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();
        var body = JsonNode.Parse(Registrations.Body("visit-locale", Now.AddHours(-1)))!;
        body["client"]!["locale"] = locale;

        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body.ToJsonString());

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(Supported, problem.GetProperty("errors").GetProperty("client.locale")[0].GetString());
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Fact]
    public async Task A_supported_client_locale_is_the_one_reported()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var body = JsonNode.Parse(Registrations.Body("visit-es", Now.AddHours(-1)))!;
        body["client"]!["locale"] = "es";

        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("es", (await response.ReadJsonAsync()).GetProperty("locale").GetString());
    }

    [Fact]
    public async Task An_unknown_preview_locale_is_a_400_listing_the_supported_ones()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);

        using var response = await host.Http.GetAsync(
            "/api/plans/microneedling-default/preview?performedAt=2026-11-20T14:00:00Z&timeZone=Europe/London&locale=xx");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(Supported, problem.GetProperty("errors").GetProperty("locale")[0].GetString());
    }

    [Fact]
    public async Task An_unknown_clinic_default_locale_is_a_400_and_creates_no_clinic()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var stored = await host.CountStoredEntitiesAsync();

        using var response = await host.PostJsonAsync(host.Admin, "/api/manage/clinics", new
        {
            name = "Riverside Skin Clinic",
            timeZone = "Europe/London",
            senderPhone = "+15005550006",
            bookingUrl = "https://book.example.com/riverside",
            contactPhone = "+442079460000",
            defaultLocale = "fr",
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(Supported, problem.GetProperty("errors").GetProperty("defaultLocale")[0].GetString());
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }
}
