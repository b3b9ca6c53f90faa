using System.Net;
using Aftercare.Storage;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Rebooking supersedes earlier prompts; an opted-out number is accepted with nothing scheduled.</summary>
[Collection(SharedInfrastructure.Name)]
public sealed class RegistrationRulesTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Registering_the_same_client_again_cancels_only_the_earlier_rebooking_prompts()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        using var first = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", TreatedAt));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        host.Clock.Set(TreatedAt.AddDays(40));
        using var second = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-2", TreatedAt.AddDays(40)));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        using var earlier = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-1", clinic.Secret);
        var timeline = await earlier.ReadJsonAsync();
        Assert.Equal("cancelled", Registrations.Status(timeline, "rebook"));
        Assert.Equal("cancelled", Registrations.Status(timeline, "rebook-reminder"));
        Assert.Contains("booked", Registrations.Message(timeline, "rebook").GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("scheduled", Registrations.Status(timeline, "healing-check"));
        Assert.All((await second.ReadJsonAsync()).GetProperty("messages").EnumerateArray(), m => Assert.Equal("scheduled", m.GetProperty("status").GetString()));

        // Another client's registration at the same clinic leaves these prompts alone.
        using var other = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-3", TreatedAt.AddDays(40), phone: "+447400123999"));
        using var secondTimeline = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-2", clinic.Secret);
        Assert.Equal("scheduled", Registrations.Status(await secondTimeline.ReadJsonAsync(), "rebook"));
    }

    [Fact]
    public async Task An_opted_out_number_is_accepted_with_nothing_scheduled_and_the_reason_given()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var optOuts = new TableOptOutStore(new AftercareTables(host.Tables, host.TablePrefix), TestKeys.PhoneHasher);
        await optOuts.OptOutAsync(clinic.Id, Registrations.Phone, "STOP", Instant.FromDateTimeOffset(TreatedAt), CancellationToken.None);

        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-stop", TreatedAt));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var timeline = await response.ReadJsonAsync();
        Assert.Equal("opted-out", timeline.GetProperty("status").GetString());
        Assert.Contains("opted out", timeline.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
        Assert.All(timeline.GetProperty("messages").EnumerateArray(), m => Assert.Equal("suppressed", m.GetProperty("status").GetString()));
        var sweep = await host.InvokeTimerAsync();
        Assert.Equal(0, sweep.Due);
    }
}
