using System.Net;
using System.Text.Json;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The retention timer (<c>EraseExpiredClientData</c>) through the local host: personal data goes on the first sweep
/// after <c>Aftercare__Privacy__RetentionDays</c> (400) have passed since a treatment's last message settled, not before,
/// and the sweep reads only the retention index entries that may be due.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class RetentionTests(Infrastructure infrastructure)
{
    private const string Maya = "+447911123456";
    private const string Noor = "+61412345678";
    private const string Ada = "+34612345678";
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Personal_data_goes_on_the_first_sweep_after_the_retention_period_since_the_last_message_settled()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);

        // Maya's treatment is cancelled at once: settled today. Noor's is never sent: each text settles when it goes
        // stale. Ada's is cancelled 300 days on.
        var mayaTexts = await RegisterAsync(host, clinic, "visit-1", Maya, "Maya");
        using (await host.SendSignedAsync(HttpMethod.Delete, clinic.TreatmentsPath + "/visit-1", clinic.Secret))
        {
        }

        var noorTexts = await RegisterAsync(host, clinic, "visit-2", Noor, "Noor");
        await RegisterAsync(host, clinic, "visit-3", Ada, "Ada");
        host.Clock.Set(TreatedAt.AddDays(300));
        using (await host.SendSignedAsync(HttpMethod.Delete, clinic.TreatmentsPath + "/visit-3", clinic.Secret))
        {
        }

        // 400 days on, the night before the period has passed for Maya: nothing is even read.
        host.Clock.Set(At(TreatedAt.AddDays(400)));
        Assert.Contains("Retention sweep: 0 examined, 0 erased", await host.InvokeRetentionAsync(), StringComparison.Ordinal);

        // The next night: Maya's data goes; the other two move on to the days their last messages settle.
        // Round trips: a query of each index kind per shard (16) and of the legacy retention table, 34; Maya 8 (treatment read, history read and delete, the erasure's read
        // and transaction, the query of her replies, the query of her alerts in the outbox's look-back days, the entry's
        // removal); Noor and Ada 3 each (read, the entry moved: an upsert and a delete).
        host.Clock.Set(At(TreatedAt.AddDays(401)));
        Assert.EndsWith(
            "Retention sweep: 3 examined, 1 erased, 2 rescheduled, 0 removed, 0 faulted, 48 table round trips",
            Trim(await host.InvokeRetentionAsync()));
        var stored = await host.RawEntitiesAsync();
        Assert.Null(RawEntities.FindAny(stored, [.. PhoneSpellings.Of(Maya, "07911123456"), "Maya", .. mayaTexts]));
        Assert.NotNull(RawEntities.FindAny(stored, [Noor]));
        Assert.NotNull(RawEntities.FindAny(stored, [Ada]));
        var audit = await TimelineAsync(host, clinic, "visit-1");
        Assert.Contains("400 days", audit.GetProperty("erasureReason").GetString(), StringComparison.Ordinal);
        Assert.All(audit.GetProperty("messages").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("text").ValueKind));
        Assert.Equal("cancelled", Registrations.Status(audit, "welcome-redness"));

        // Nothing is held for Maya any more, not even her history: the clinic has no client by that number.
        using var gone = await host.SendSignedAsync(HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/{Uri.EscapeDataString(Maya)}", clinic.Secret);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Noor's last text went stale within 90 days: it goes 400 days after that, its pending texts cancelled.
        host.Clock.Set(At(TreatedAt.AddDays(491)));
        Assert.Contains("Retention sweep: 1 examined, 1 erased, 0 rescheduled", await host.InvokeRetentionAsync(), StringComparison.Ordinal);
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [Noor, "Noor", .. noorTexts]));
        Assert.All((await TimelineAsync(host, clinic, "visit-2")).GetProperty("messages").EnumerateArray(), m => Assert.Equal("cancelled", m.GetProperty("status").GetString()));

        // Ada's went 300 days on: 701 days after her treatment.
        host.Clock.Set(At(TreatedAt.AddDays(700)));
        Assert.Contains("0 erased", await host.InvokeRetentionAsync(), StringComparison.Ordinal);
        host.Clock.Set(At(TreatedAt.AddDays(701)));
        Assert.Contains("Retention sweep: 1 examined, 1 erased", await host.InvokeRetentionAsync(), StringComparison.Ordinal);
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [Maya, Noor, Ada, "Maya", "Noor", "Ada"]));
    }

    /// <summary>That day's run of the timer, 03:00 UTC.</summary>
    private static DateTimeOffset At(DateTimeOffset day) => new(day.Year, day.Month, day.Day, 3, 0, 0, TimeSpan.Zero);

    private static string Trim(string logLine) => logLine[..logLine.IndexOf(" table round trips", StringComparison.Ordinal)] + " table round trips";

    private static async Task<List<string>> RegisterAsync(AftercareApp host, ClinicCredentials clinic, string externalId, string phone, string firstName)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body(externalId, TreatedAt, phone: phone, firstName: firstName));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];
    }

    private static async Task<JsonElement> TimelineAsync(AftercareApp host, ClinicCredentials clinic, string externalId)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/{externalId}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }
}
