using System.Net;
using Aftercare.Core.Messaging;
using Aftercare.Sms.Console;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// No phone number, client name or message text reaches the logs, at any level, along the whole path: with Twilio, with
/// the console sender outside Development (whose output Azure ships to Application Insights), and when Twilio's own
/// error message quotes the number.
/// </summary>
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

    [Fact]
    public async Task The_console_sender_outside_development_prints_a_masked_summary_and_the_text_is_simulated_not_sent()
    {
        var treatedAt = new DateTimeOffset(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);
        using var console = new StringWriter();
        await using var host = await AftercareApp.StartAsync(infrastructure, treatedAt.AddMinutes(15), services =>
            services.Replace(ServiceDescriptor.Singleton<ISmsSender>(sp => new ConsoleSmsSender(console, sp.GetRequiredService<TimeProvider>(), printTexts: false))));
        var clinic = await Clinics.CreateAsync(host);

        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-p-3", treatedAt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var welcome = Registrations.Message(await created.ReadJsonAsync(), "welcome-redness").GetProperty("text").GetString()!;
        Assert.Equal(1, (await host.InvokeTimerAsync()).Sent);

        using var read = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/ext-p-3", clinic.Secret);
        var timeline = await read.ReadJsonAsync();
        Assert.Equal("simulated", Registrations.Status(timeline, "welcome-redness"));
        Assert.StartsWith("CONSOLE", Registrations.Message(timeline, "welcome-redness").GetProperty("twilioSid").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Twilio.Requests);

        var printed = console.ToString();
        Assert.Contains($"clinic {clinic.Id}, stage welcome-redness, 2 segment(s) Gsm7, to +4*******3456", printed, StringComparison.Ordinal);
        foreach (var secret in new[] { Registrations.Phone, "7400123456", "Maya", welcome[..40], "Riverside" })
        {
            Assert.DoesNotContain(secret, printed, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_twilio_error_that_quotes_the_number_reaches_neither_the_logs_nor_the_stored_reason()
    {
        var treatedAt = new DateTimeOffset(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);
        await using var twilio = await TwilioStandIn.StartAsync();
        twilio.EnqueueFaults(TwilioStandInFault.InvalidNumber); // "The 'To' number +44… is not a valid phone number.", as Twilio says it
        await using var host = await AftercareApp.StartAsync(infrastructure, treatedAt.AddMinutes(15), services =>
            services.Replace(ServiceDescriptor.Singleton(sp => TwilioRestClientFactory.Create(
                new TwilioOptions { AccountSid = AftercareApp.TwilioAccountSid, AuthToken = AftercareApp.TwilioAuthToken, BaseUri = twilio.BaseUri },
                sp.GetRequiredService<TimeProvider>()))));
        var clinic = await Clinics.CreateAsync(host);

        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-p-4", treatedAt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await host.InvokeTimerAsync();

        Assert.Single(twilio.CreateRequests);
        using var read = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/ext-p-4", clinic.Secret);
        var welcome = Registrations.Message(await read.ReadJsonAsync(), "welcome-redness");
        Assert.Equal(("failed", "21211"), (welcome.GetProperty("status").GetString(), welcome.GetProperty("errorCode").GetString()));
        var reasons = (await host.RawEntitiesAsync()).Select(e => e.GetString("StatusReason")).OfType<string>().ToList();
        Assert.Contains(reasons, r => r.Contains("21211", StringComparison.Ordinal) || r.Contains("not a valid mobile number", StringComparison.Ordinal));
        foreach (var secret in new[] { Registrations.Phone, "7400123456", "not a valid phone number" })
        {
            Assert.DoesNotContain(reasons, r => r.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
