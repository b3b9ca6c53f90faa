using System.Net;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>No phone number, client name or message text reaches the logs, at any level, along the whole path.</summary>
[Collection(SharedInfrastructure.Name)]
public sealed class PrivacyTests(Infrastructure infrastructure)
{
    [Fact]
    public async Task Registration_dispatch_and_errors_log_no_personal_data()
    {
        var treatedAt = new DateTimeOffset(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);
        await using var host = await AftercareApp.StartAsync(infrastructure, treatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        const string Phone = Registrations.Phone;

        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-p-1", treatedAt, phone: Phone));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var welcome = Registrations.Message(await created.ReadJsonAsync(), "welcome-redness").GetProperty("text").GetString()!;
        using var invalid = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-p-2", treatedAt, phone: "+44 7400 123456\n"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await host.InvokeTimerAsync();
        host.Clock.Set(treatedAt.AddDays(1).AddHours(-5));
        await host.InvokeTimerAsync();

        var logs = host.Logs.Lines;
        Assert.NotEmpty(logs);
        Assert.Contains(logs, line => line.Contains("Sent welcome-redness", StringComparison.Ordinal));
        Assert.Contains(logs, line => line.Contains("Sent sun-protection", StringComparison.Ordinal));
        foreach (var secret in new[] { Phone, "7400123456", "7400 123456", "Maya", welcome[..40] })
        {
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
