using System.Net;
using System.Text;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Nothing a caller sends may produce a 5xx: every failure is a 4xx problem+json and stores nothing.</summary>
[Collection(SharedInfrastructure.Name)]
public sealed class MalformedInputTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> MalformedBodies() =>
    [
        "",
        " ",
        "null",
        "[]",
        "42",
        "\"text\"",
        "{",
        "{\"externalId\":",
        "{\"externalId\": 12}",
        "{\"externalId\": \"x\", \"client\": \"not an object\"}",
        "{\"externalId\": \"x\", \"client\": {\"phone\": 5}}",
        "{\"externalId\": \"x\", \"treatment\": {\"needleDepthMm\": \"deep\"}}",
        "{\"externalId\": \"x\", \"treatment\": {\"needleDepthMm\": 1e400}}",
        "{\"externalId\": \"x\", \"treatment\": {\"performedAt\": \"yesterday\"}}",
        "{\"externalId\": \"x\", \"treatment\": {\"performedAt\": \"2026-11-20T10:00:00\"}}",
        "{\"externalId\": \"x\", \"consent\": {\"sms\": \"yes\"}}",
        "{\"externalId\": \"" + new string('x', 5000) + "\"}",
        "{\"externalId\": \"a\\u0000b\"}",
        "\uFEFF{}",
        "{\"externalId\":\"ok\",\"client\":{\"firstName\":\"Maya\",\"phone\":\"+447400123456\",\"timeZone\":\"Mars/Olympus\"}}",
        "{\"externalId\":\"ok\",\"client\":{\"firstName\":\"Maya\",\"phone\":\"07700 900123\"}}",
        "{\"externalId\":\"ok\",\"client\":{\"firstName\":\"Maya\",\"phone\":\"+447400123456\"},\"treatment\":{\"type\":\"m\",\"device\":\"pen\",\"area\":\"face\",\"performedAt\":\"2030-01-01T10:00:00+00:00\"},\"consent\":{\"sms\":true,\"capturedAt\":\"2026-11-20T10:00:00Z\",\"method\":\"form\"}}",
        "{\"externalId\":\"ok\",\"client\":{\"firstName\":\"Maya\",\"phone\":\"+447400123456\"},\"treatment\":{\"type\":\"m\",\"device\":\"pen\",\"needleDepthMm\":-1,\"area\":\"face\",\"performedAt\":\"2026-11-20T10:00:00+00:00\"},\"consent\":{\"sms\":true,\"capturedAt\":\"2026-11-20T10:00:00Z\",\"method\":\"form\"}}",
    ];

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_registration_is_a_4xx_problem_and_stores_nothing(string body)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body);

        Assert.InRange((int)response.StatusCode, 400, 499);
        await response.AssertProblemAsync(response.StatusCode);
        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_clinic_is_a_4xx_problem(string body)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        using var response = await host.Admin.PostAsync("/api/manage/clinics", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.InRange((int)response.StatusCode, 400, 499);
        await response.AssertProblemAsync(response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("PUT", "/api/clinics/cl_00000000000000000001/treatments")]
    [InlineData("GET", "/api/manage/clinics")]
    public async Task Paths_and_methods_no_function_serves_are_the_hosts_404(string method, string path)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        using var response = await host.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/plans/microneedling-default/preview")]
    [InlineData("/api/plans/microneedling-default/preview?performedAt=soon&timeZone=Europe/London")]
    [InlineData("/api/plans/microneedling-default/preview?performedAt=2026-11-20T10:00:00Z&timeZone=Nowhere/Land")]
    [InlineData("/api/plans/no-such-plan/preview?performedAt=2026-11-20T10:00:00Z&timeZone=Europe/London")]
    [InlineData("/api/clinics/not-a-clinic/treatments/x")]
    public async Task Bad_queries_and_unknown_clinics_are_4xx_problems(string path)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        using var response = await host.Http.GetAsync(path);
        Assert.InRange((int)response.StatusCode, 400, 499);
        await response.AssertProblemAsync(response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, "{\"pad\":\"" + new string('a', 70_000) + "\"}");
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}
