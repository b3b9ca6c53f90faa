using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aftercare.Core.Security;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Requests are read strictly (issue 13, defect 9): the signature header only in its exact grammar (401 "malformed"
/// otherwise), and JSON bodies only when sent as <c>application/json</c>, bare or with <c>charset=utf-8</c> (415
/// otherwise, storing nothing).
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class StrictParsingTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    public static TheoryData<string?> RefusedContentTypes() =>
    [
        null,
        "text/plain",
        "text/plain; charset=utf-8",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-8; version=2",
        "application/problem+json",
        "application/jsonx",
    ];

    public static TheoryData<string> AcceptedContentTypes() =>
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "Application/JSON",
    ];

    [Fact]
    public async Task A_signature_with_a_space_after_the_comma_is_a_401_malformed_and_stores_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();
        var body = Registrations.Body("visit-1", Now.AddHours(-1));
        var signature = ClinicSignature.Create(clinic.Secret, Instant.FromDateTimeOffset(Now), "POST", clinic.TreatmentsPath, Encoding.UTF8.GetBytes(body));

        using var response = await SendAsync(host, clinic.TreatmentsPath, body, "application/json", signature.Replace(",", ", ", StringComparison.Ordinal));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("must look like", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Theory]
    [MemberData(nameof(RefusedContentTypes))]
    public async Task A_registration_not_sent_as_json_is_a_415_and_stores_nothing(string? contentType)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        using var response = await SendSignedAsync(host, clinic, Registrations.Body("visit-1", Now.AddHours(-1)), contentType);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Theory]
    [MemberData(nameof(AcceptedContentTypes))]
    public async Task A_registration_sent_as_json_is_read(string contentType)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);

        using var response = await SendSignedAsync(host, clinic, Registrations.Body("visit-1", Now.AddHours(-1)), contentType);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(RefusedContentTypes))]
    public async Task A_clinic_not_sent_as_json_is_a_415_and_changes_nothing(string? contentType)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.SnapshotStorageAsync();

        using var created = await host.Admin.PostAsync("/api/manage/clinics", Content(ClinicBody, contentType));
        using var patched = await host.Admin.PatchAsync($"/api/manage/clinics/{clinic.Id}", Content("{\"name\":\"Renamed Clinic\"}", contentType));

        await created.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await patched.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(stored, await host.SnapshotStorageAsync());
    }

    [Theory]
    [MemberData(nameof(AcceptedContentTypes))]
    public async Task A_clinic_sent_as_json_is_read(string contentType)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);

        using var created = await host.Admin.PostAsync("/api/manage/clinics", Content(ClinicBody, contentType));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private const string ClinicBody =
        "{\"name\":\"Riverside Skin Clinic\",\"timeZone\":\"Europe/London\",\"senderPhone\":\"+15005550006\"," +
        "\"bookingUrl\":\"https://book.example.com/riverside\",\"contactPhone\":\"+442079460000\"}";

    private static ByteArrayContent Content(string json, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    private static Task<HttpResponseMessage> SendSignedAsync(AftercareApp host, ClinicCredentials clinic, string json, string? contentType) =>
        SendAsync(
            host,
            clinic.TreatmentsPath,
            json,
            contentType,
            ClinicSignature.Create(clinic.Secret, Instant.FromDateTimeOffset(host.Clock.GetUtcNow()), "POST", clinic.TreatmentsPath, Encoding.UTF8.GetBytes(json)));

    private static Task<HttpResponseMessage> SendAsync(AftercareApp host, string path, string json, string? contentType, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Content(json, contentType) };
        request.Headers.TryAddWithoutValidation(ClinicSignature.HeaderName, signature);
        return host.Http.SendAsync(request);
    }
}
