using System.Net;
using System.Security.Cryptography;
using System.Text;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Aftercare.Storage;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// <c>POST /api/manage/clinics/{clinicId}/secret</c>: the new secret is shown once, the replaced one verifies requests
/// until its grace period ends and is refused after it, and no secret is ever stored in clear.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class SecretRotationTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_old_secret_verifies_within_the_grace_period_and_is_refused_after_it_the_new_one_throughout()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);

        using var rotated = await RotateAsync(host, clinic.Id, """{"graceHours":2}""");
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Contains("no-store", rotated.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await rotated.ReadJsonAsync();
        var fresh = body.GetProperty("webhookSecret").GetString()!;
        Assert.Equal(clinic.Id, body.GetProperty("clinicId").GetString());
        Assert.StartsWith("whsec_", fresh, StringComparison.Ordinal);
        Assert.NotEqual(clinic.Secret, fresh);
        Assert.Equal(Now.AddHours(2), body.GetProperty("previousSecretAcceptedUntil").GetDateTimeOffset());

        // A treatment registered with the old secret, read with the new one: both belong to the clinic.
        using var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", Now.AddMinutes(-10)));
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(host, clinic, fresh));

        host.Clock.Set(Now.AddHours(2).AddSeconds(-1));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (await ReadAsync(host, clinic, clinic.Secret), await ReadAsync(host, clinic, fresh)));

        host.Clock.Set(Now.AddHours(2));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (await ReadAsync(host, clinic, clinic.Secret), await ReadAsync(host, clinic, fresh)));
        host.Clock.Set(Now.AddDays(30));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (await ReadAsync(host, clinic, clinic.Secret), await ReadAsync(host, clinic, fresh)));
    }

    [Fact]
    public async Task A_second_rotation_in_a_grace_period_ends_the_first_secret_at_once_and_no_secret_is_stored_in_clear()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", Now.AddMinutes(-10)));

        // Without a body the grace period is 24 hours.
        using var first = await RotateAsync(host, clinic.Id, body: null);
        var firstBody = await first.ReadJsonAsync();
        var second = firstBody.GetProperty("webhookSecret").GetString()!;
        Assert.Equal(Now.AddHours(24), firstBody.GetProperty("previousSecretAcceptedUntil").GetDateTimeOffset());

        host.Clock.Set(Now.AddHours(1));
        using var again = await RotateAsync(host, clinic.Id, """{"graceHours":24}""");
        var againBody = await again.ReadJsonAsync();
        var third = againBody.GetProperty("webhookSecret").GetString()!;
        Assert.Equal(Now.AddHours(25), againBody.GetProperty("previousSecretAcceptedUntil").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(host, clinic, clinic.Secret));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(host, clinic, second));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(host, clinic, third));
        host.Clock.Set(Now.AddHours(25));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), (await ReadAsync(host, clinic, second), await ReadAsync(host, clinic, third)));

        // Every secret this clinic ever had, as text and as its decoded bytes, is nowhere in any table.
        var secrets = new[] { clinic.Secret, second, third };
        var needles = secrets.Concat(secrets.Select(s => s["whsec_".Length..])).ToList();
        var entities = await host.RawEntitiesAsync();
        Assert.Null(RawEntities.FindAny(entities, needles));
        var binary = entities.SelectMany(e => e.Select(p => p.Value).OfType<byte[]>()).ToList();
        Assert.All(secrets, s => Assert.DoesNotContain(binary, b => Encoding.UTF8.GetString(b).Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_zero_grace_period_stops_the_old_secret_at_once()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", Now.AddMinutes(-10)));

        using var rotated = await RotateAsync(host, clinic.Id, """{"graceHours":0}""");
        var body = await rotated.ReadJsonAsync();

        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("previousSecretAcceptedUntil").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(host, clinic, clinic.Secret));
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(host, clinic, body.GetProperty("webhookSecret").GetString()!));
    }

    [Theory]
    [InlineData("""{"graceHours":-1}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"graceHours":169}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"graceHours":"soon"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"graceHours":1.5}""", HttpStatusCode.BadRequest)]
    [InlineData("[", HttpStatusCode.BadRequest)]
    public async Task A_bad_grace_period_is_a_400_and_the_secret_stays(string body, HttpStatusCode status)
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", Now.AddMinutes(-10)));

        using var response = await RotateAsync(host, clinic.Id, body);

        await response.AssertProblemAsync(status);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(host, clinic, clinic.Secret));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415_and_the_secret_stays()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);
        using var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", Now.AddMinutes(-10)));

        using var response = await host.Admin.PostAsync(
            $"/api/manage/clinics/{clinic.Id}/secret", new StringContent("""{"graceHours":2}""", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(host, clinic, clinic.Secret));
    }

    [Fact]
    public async Task Only_the_master_key_rotates_and_an_unknown_clinic_is_404()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var clinic = await Clinics.CreateAsync(host);

        using var withFunctionKey = await host.Http.PostAsync($"/api/manage/clinics/{clinic.Id}/secret", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);
        using var unknown = await RotateAsync(host, "cl_00000000000000000001", body: null);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        using var malformed = await RotateAsync(host, "not-a-clinic", body: null);
        await malformed.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_clinic_whose_secret_key_is_no_longer_configured_fails_loudly_not_as_a_bad_signature()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var secret = WebhookSecrets.Create();
        var retired = new SecretCipher(new Dictionary<string, byte[]> { ["retired"] = RandomNumberGenerator.GetBytes(32) }, "retired");
        var clinic = new Clinic
        {
            Id = ClinicIds.Create(),
            Name = "Old Clinic",
            TimeZoneId = "Europe/London",
            SenderPhone = "+15005550006",
            BookingUrl = "https://book.example.com/old",
            ContactPhone = "+442079460000",
            QuietHours = QuietHours.Default,
            DefaultLocale = "en",
            WebhookSecret = secret,
            CreatedAt = Instant.FromDateTimeOffset(Now),
        };
        await new TableClinicStore(new AftercareTables(host.Tables, host.TablePrefix), retired).CreateAsync(clinic, CancellationToken.None);

        using var response = await host.SendSignedAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/treatments/visit-1", secret);

        await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Contains(host.Logs.Lines, line => line.Contains("sealed with secret key 'retired'", StringComparison.Ordinal) && line.Contains(clinic.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> RotateAsync(AftercareApp host, string clinicId, string? body) =>
        host.Admin.PostAsync(
            $"/api/manage/clinics/{clinicId}/secret",
            body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task<HttpStatusCode> ReadAsync(AftercareApp host, ClinicCredentials clinic, string secret)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-1", secret);
        return response.StatusCode;
    }
}
