using System.Net;
using Aftercare.Storage;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Every phone number the API takes becomes one canonical E.164 number at the edge, or a 400 that says why: a trailing
/// newline no longer slips through to storage and Twilio, and no spelling of an opted-out number gets a text.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class PhoneNumberTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_client_number_that_is_not_one_valid_mobile_number_is_a_400_with_the_reason_and_stores_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var stored = await host.CountStoredEntitiesAsync();

        foreach (var (phone, reason) in new[]
        {
            ("+447400123456\n", "control characters"),
            ("+447400123456abc", "letters"),
            ("+447400123456 +447400123457", "one number"),
            ("+6104312345678", "Not a valid number for +61 (AU)"),
            ("+447700900123", "Not a valid number for +44 (GB)"),
            ("+442079460000", "landline"),
            ("0800 123 4567", "toll-free"),
        })
        {
            using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-bad-phone", TreatedAt, phone: phone));
            var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
            var messages = problem.GetProperty("errors").GetProperty("client.phone").EnumerateArray().Select(m => m.GetString()).ToList();
            Assert.True(messages.Any(m => m!.Contains(reason, StringComparison.Ordinal)), $"{phone.ReplaceLineEndings("\\n")}: {string.Join(" ", messages)}");
        }

        Assert.Equal(stored, await host.CountStoredEntitiesAsync());
    }

    [Fact]
    public async Task Every_spelling_of_an_opted_out_number_registers_as_opted_out()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var optOuts = new TableOptOutStore(new AftercareTables(host.Tables, host.TablePrefix), TestKeys.PhoneHasher);
        await optOuts.OptOutAsync(clinic.Id, Registrations.Phone, "STOP", Instant.FromDateTimeOffset(TreatedAt), CancellationToken.None);

        string[] spellings = ["+447400123456", "+44 7400 123456", "07400 123456", "0044 7400 123456", "+44 (0)7400 123456", "(07400) 123-456", " 07400.123.456 "];
        for (var i = 0; i < spellings.Length; i++)
        {
            using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body($"visit-stop-{i}", TreatedAt, phone: spellings[i]));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var timeline = await response.ReadJsonAsync();
            Assert.True(timeline.GetProperty("status").GetString() == "opted-out", $"\"{spellings[i]}\" was not recognised as the opted-out number");
            Assert.All(timeline.GetProperty("messages").EnumerateArray(), m => Assert.Equal("suppressed", m.GetProperty("status").GetString()));
        }

        // The spelling that used to slip past the opt-out (a trailing newline) is refused outright.
        using var newline = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-stop-newline", TreatedAt, phone: Registrations.Phone + "\n"));
        await newline.AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, (await host.InvokeTimerAsync()).Due);
        Assert.DoesNotContain(host.Twilio.Requests, r => r.Method == HttpMethod.Post);
    }

    [Fact]
    public async Task A_national_number_is_read_in_the_clinics_region_and_texted_in_E164()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var london = await Clinics.CreateAsync(host, "Europe/London", contactPhone: "+44 20 7946 0000");
        var newYork = await Clinics.CreateAsync(host, "America/New_York", contactPhone: "+1 (201) 555-0100");

        using var uk = await host.SendSignedAsync(HttpMethod.Post, london.TreatmentsPath, london.Secret, Registrations.Body("visit-uk", TreatedAt, phone: "07400 123456"));
        Assert.Equal(HttpStatusCode.Created, uk.StatusCode);
        using var us = await host.SendSignedAsync(HttpMethod.Post, newYork.TreatmentsPath, newYork.Secret, Registrations.Body("visit-us", TreatedAt, phone: "(201) 555-0123"));
        Assert.Equal(HttpStatusCode.Created, us.StatusCode);

        Assert.Equal(2, (await host.InvokeTimerAsync()).Sent);
        var recipients = host.Twilio.Requests
            .Where(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal))
            .Select(r => System.Web.HttpUtility.ParseQueryString(r.Body!)["To"])
            .Order(StringComparer.Ordinal);
        Assert.Equal(["+12015550123", "+447400123456"], recipients);
    }

    [Fact]
    public async Task A_clinics_numbers_are_stored_canonical_its_contact_line_may_be_a_landline_and_must_be_international()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt);

        using var created = await host.PostJsonAsync(host.Admin, "/api/manage/clinics", NewClinic(senderPhone: "+1 (500) 555-0006", contactPhone: "0044 20 7946 0000"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var clinic = (await created.ReadJsonAsync()).GetProperty("clinic");
        Assert.Equal("+15005550006", clinic.GetProperty("senderPhone").GetString());
        Assert.Equal("+442079460000", clinic.GetProperty("contactPhone").GetString());

        using var national = await host.PostJsonAsync(host.Admin, "/api/manage/clinics", NewClinic(senderPhone: "+15005550006", contactPhone: "020 7946 0000"));
        var problem = await national.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("international form", problem.GetProperty("errors").GetProperty("contactPhone")[0].GetString(), StringComparison.Ordinal);

        using var patched = await host.Admin.PatchAsync(
            $"/api/manage/clinics/{clinic.GetProperty("clinicId").GetString()}",
            new StringContent("{\"contactPhone\":\"+44 20 7946 0000\\n\"}", System.Text.Encoding.UTF8, "application/json"));
        await patched.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static object NewClinic(string senderPhone, string contactPhone) => new
    {
        name = "Riverside Skin Clinic",
        timeZone = "Europe/London",
        senderPhone,
        bookingUrl = "https://book.example.com/riverside",
        contactPhone,
    };
}
