using System.Net;
using System.Text.Json;
using Xunit;

namespace Aftercare.Functions.Tests;

public sealed record ClinicCredentials(string Id, string Secret)
{
    public string TreatmentsPath => $"/api/clinics/{Id}/treatments";
}

internal static class Clinics
{
    public static async Task<ClinicCredentials> CreateAsync(AftercareApp host, string timeZone = "Europe/London")
    {
        using var response = await host.PostJsonAsync(host.Admin, "/api/manage/clinics", new
        {
            name = "Riverside Skin Clinic",
            timeZone,
            senderPhone = "+15005550006",
            bookingUrl = "https://book.example.com/riverside",
            contactPhone = "+442079460000",
            defaultLocale = "en",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        return new ClinicCredentials(body.GetProperty("clinicId").GetString()!, body.GetProperty("webhookSecret").GetString()!);
    }
}

internal static class Registrations
{
    public static string Body(string externalId, DateTimeOffset performedAt, bool consent = true, string phone = "+447700900123", string firstName = "Maya") =>
        JsonSerializer.Serialize(new
        {
            externalId,
            client = new { firstName, phone, locale = "en" },
            treatment = new { type = "microneedling", device = "pen", needleDepthMm = 1.5, area = "face", performedAt = performedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture) },
            consent = consent ? new { sms = true, capturedAt = performedAt.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), method = "tablet-form" } : null,
        });

    public static JsonElement Message(JsonElement timeline, string stage) =>
        timeline.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("stage").GetString() == stage);

    public static string? Status(JsonElement timeline, string stage) => Message(timeline, stage).GetProperty("status").GetString();

    public static string? DueLocal(JsonElement timeline, string stage) => Message(timeline, stage).GetProperty("dueAtLocal").GetString();
}

internal static class HttpAssertions
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts the status and that the body is an RFC 9457 problem with a type and a title.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
