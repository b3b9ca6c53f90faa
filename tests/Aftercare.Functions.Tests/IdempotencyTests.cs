using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The external id is an idempotency key: the same registration again (after normalising) is a 200 with what is
/// stored; a different body under the same id is a 409 naming the fields that differ, and changes nothing.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class IdempotencyTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_same_registration_spelled_differently_is_a_200_with_the_stored_result()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", TreatedAt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var timeline = (await created.ReadJsonAsync()).ToString();
        var stored = await host.SnapshotStorageAsync();

        var respelled = Body("visit-1");
        respelled["client"]!["phone"] = "07400 123456";
        respelled["client"]!["firstName"] = "  Maya ";
        respelled["client"]!.AsObject().Remove("locale");
        respelled["treatment"]!["device"] = "PEN";
        respelled["treatment"]!["needleDepthMm"] = 1.50m;
        respelled["treatment"]!["performedAt"] = "2026-11-20T15:30:00+01:00";
        using var again = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, respelled.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(timeline, (await again.ReadJsonAsync()).ToString());
        Assert.Equal(stored, await host.SnapshotStorageAsync());
    }

    [Fact]
    public async Task A_different_body_under_the_same_id_is_a_409_naming_the_fields_and_changes_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", TreatedAt));
        var timeline = (await created.ReadJsonAsync()).ToString();
        var stored = await host.SnapshotStorageAsync();

        var changed = Body("visit-1");
        changed["client"]!["phone"] = "+447400123999";
        changed["client"]!["locale"] = "es";
        changed["treatment"]!["performedAt"] = "2026-11-20T14:31:00Z";
        changed["consent"]!["method"] = "paper-form";
        using var conflict = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, changed.ToJsonString());

        var problem = await conflict.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(
            ["client.phone", "client.locale", "treatment.performedAt", "consent.method"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.DoesNotContain("+447400123", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(stored, await host.SnapshotStorageAsync());

        using var read = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-1", clinic.Secret);
        Assert.Equal(timeline, (await read.ReadJsonAsync()).ToString());
    }

    [Fact]
    public async Task An_optional_field_first_left_out_and_then_given_is_a_difference()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var first = Body("visit-1");
        first["treatment"]!.AsObject().Remove("needleDepthMm");
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, first.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var conflict = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Body("visit-1").ToJsonString());

        var problem = await conflict.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["treatment.needleDepthMm"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private static JsonNode Body(string externalId) => JsonNode.Parse(Registrations.Body(externalId, TreatedAt))!;
}
