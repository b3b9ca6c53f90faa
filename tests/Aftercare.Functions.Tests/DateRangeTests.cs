using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Every date field of every endpoint has a range (from 2000-01-01T00:00:00Z; registrations up to now plus 5 minutes of
/// skew, previews up to a year ahead): outside it is a 400 naming the field, never a 500, and nothing is stored.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class DateRangeTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> OutOfRange() =>
    [
        "0000-01-01T00:00:00Z",
        "-0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "1600-12-31T23:59:59Z",
        "1999-12-31T23:59:59Z",
        "2000-01-01T00:59:59+01:00",
        "2026-11-20T15:05:01Z",
        "2026-11-20T23:05:01+08:00",
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-18:00",
    ];

    [Theory]
    [InlineData("treatment", "performedAt")]
    [InlineData("consent", "capturedAt")]
    public async Task A_registration_date_out_of_range_is_a_400_for_that_field_and_stores_nothing(string section, string field)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        foreach (var date in OutOfRange())
        {
            var body = JsonNode.Parse(Registrations.Body("visit-dates", Now.AddHours(-1)))!;
            body[section]![field] = date;
            using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body.ToJsonString());
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty($"{section}.{field}", out _), $"{date}: {problem}");
        }

        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Fact]
    public async Task The_ends_of_the_registration_range_are_accepted()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);

        var body = JsonNode.Parse(Registrations.Body("visit-edges", Now))!;
        body["treatment"]!["performedAt"] = "2000-01-01T00:00:00Z";
        body["consent"]!["capturedAt"] = "2026-11-20T16:05:00+01:00";
        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.All((await response.ReadJsonAsync()).GetProperty("messages").EnumerateArray(), m => Assert.Equal("skipped", m.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData("0000-01-01T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("1600-12-31T23:59:59Z", HttpStatusCode.BadRequest)]
    [InlineData("1999-12-31T23:59:59Z", HttpStatusCode.BadRequest)]
    [InlineData("9999-12-31T23:59:59-18:00", HttpStatusCode.BadRequest)]
    [InlineData("2027-11-22T15:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("2000-01-01T00:00:00Z", HttpStatusCode.OK)]
    [InlineData("2027-11-21T15:00:00Z", HttpStatusCode.OK)]
    public async Task A_preview_takes_dates_from_2000_to_a_year_ahead(string performedAt, HttpStatusCode expected)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);

        using var response = await host.Http.GetAsync(
            $"/api/plans/microneedling-default/preview?performedAt={Uri.EscapeDataString(performedAt)}&timeZone=Europe/London&locale=en");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            var problem = await response.AssertProblemAsync(expected);
            Assert.True(problem.GetProperty("errors").TryGetProperty("performedAt", out _));
        }
    }
}
