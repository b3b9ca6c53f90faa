using System.Net;
using System.Text.Json;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// <c>DELETE /api/clinics/{clinicId}/clients/{phone}</c> over real HTTP through the local host: what is erased, what is
/// kept (the anonymised audit, the opt-out), that nobody else's data changes, and what a dispatcher claiming a message
/// while the erasure runs does.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class ClientErasureTests(Infrastructure infrastructure)
{
    private const string Maya = "+447911123456";
    private const string Noor = "+61412345678";
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> MayasNumber = PhoneSpellings.Of(Maya, "07911123456");

    [Fact]
    public async Task Erasure_leaves_no_name_number_or_text_keeps_the_audit_and_the_opt_out_and_changes_nothing_else()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var other = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "visit-1", Maya, "Maya");
        await RegisterAsync(host, clinic, "visit-2", Maya, "Maya");
        await RegisterAsync(host, clinic, "visit-3", Noor, "Noor");
        await RegisterAsync(host, other, "visit-1", Maya, "Maya");
        Assert.Equal(4, (await host.InvokeTimerAsync()).Sent);
        var texts = (await TimelineAsync(host, clinic, "visit-1")).Concat(await TimelineAsync(host, clinic, "visit-2"))
            .Select(m => m.GetProperty("text").GetString()!)
            .ToList();
        Assert.Equal(12, texts.Count);

        // She replied STOP at some point: the opt-out is kept by its keyed hash, never the number.
        var optOuts = new TableOptOutStore(new AftercareTables(host.Tables, host.TablePrefix), TestKeys.PhoneHasher);
        await optOuts.OptOutAsync(clinic.Id, Maya, "STOP", Instant.FromDateTimeOffset(TreatedAt.AddHours(1)), CancellationToken.None);

        // And a text of hers failed: its alert still waits in the outbox for the clinic's endpoint.
        var visit1 = (await host.Services.GetRequiredService<ITreatmentStore>().FindAsync(clinic.Id, TreatmentIds.For(clinic.Id, "visit-1"), CancellationToken.None))!;
        var alert = Core.Alerts.MessageFailedAlert.For(visit1.Treatment.Value, "sun-protection", "30003", Instant.FromDateTimeOffset(TreatedAt.AddHours(2)));
        Assert.True(await host.Services.GetRequiredService<Core.Alerts.IAlertOutbox>().AddAsync(alert, CancellationToken.None));
        var before = (await host.RawRowsAsync()).ToDictionary(Key, row => RawEntities.Fingerprint(row.Entity));

        using var erased = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var answer = (await erased.ReadJsonAsync()).ToString();
        // Twelve texts erased; of the ten not sent, visit-2's registration had cancelled visit-1's two rebooking prompts
        // already, so the erasure cancelled eight.
        Assert.Equal("""{"erasedTreatments":2,"erasedMessages":12,"cancelledMessages":8,"inFlightMessages":0}""", answer);
        using var again = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(answer, (await again.ReadJsonAsync()).ToString());

        // Only her treatments at this clinic, her history there and her alert were written; nothing was added or removed.
        var afterRows = await host.RawRowsAsync();
        var after = afterRows.Select(row => row.Entity).ToList();
        var mine = new HashSet<string>(StringComparer.Ordinal)
        {
            clinic.Id + "|" + TreatmentIds.For(clinic.Id, "visit-1"),
            clinic.Id + "|" + TreatmentIds.For(clinic.Id, "visit-2"),
        };
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), afterRows.Select(Key).Order(StringComparer.Ordinal));
        var changed = afterRows.Where(row => before[Key(row)] != RawEntities.Fingerprint(row.Entity)).Select(row => row.Entity).ToList();
        Assert.NotEmpty(changed);
        Assert.Contains(changed, e => e.RowKey == alert.Id);
        Assert.All(changed, e => Assert.True(
            mine.Contains(e.PartitionKey) || (e.PartitionKey == clinic.Id && e.RowKey == TestKeys.PhoneHasher.Hash(Maya)) || e.RowKey == alert.Id,
            $"({e.PartitionKey}, {e.RowKey}) changed"));

        // Nothing of hers is left at this clinic, in any table, in any spelling; the other clinic still has its own.
        var atThisClinic = after.Where(e => !RawEntities.BelongsTo(e, other.Id)).ToList();
        Assert.Null(RawEntities.FindAny(atThisClinic, [.. MayasNumber, "Maya", .. texts]));
        Assert.NotNull(RawEntities.FindAny(after.Where(e => RawEntities.BelongsTo(e, other.Id)), [Maya, "Maya"]));

        // The timeline is the anonymised audit: stages, statuses, times, Twilio SIDs; no text.
        var audit = await TimelineResponseAsync(host, clinic, "visit-1");
        Assert.Equal("cancelled", audit.GetProperty("status").GetString());
        Assert.NotNull(audit.GetProperty("erasedAtUtc").GetString());
        Assert.Contains("erased", audit.GetProperty("erasureReason").GetString(), StringComparison.Ordinal);
        var welcome = Registrations.Message(audit, "welcome-redness");
        Assert.Equal("sent", welcome.GetProperty("status").GetString());
        Assert.StartsWith("SM", welcome.GetProperty("twilioSid").GetString(), StringComparison.Ordinal);
        Assert.All(audit.GetProperty("messages").EnumerateArray(), m =>
        {
            Assert.Equal(JsonValueKind.Null, m.GetProperty("text").ValueKind);
            Assert.NotEqual(default, m.GetProperty("dueAtUtc").GetDateTimeOffset());
        });
        Assert.Equal("cancelled", Registrations.Status(audit, "sun-protection"));

        // Nothing more goes to her from this clinic; the others' texts go on. And the STOP is still honoured.
        host.Clock.Set(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        Assert.Equal(2, (await host.InvokeTimerAsync()).Sent);
        using var comeback = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-4", TreatedAt.AddHours(18), phone: Maya));
        Assert.Equal(HttpStatusCode.Created, comeback.StatusCode);
        Assert.Equal("opted-out", (await comeback.ReadJsonAsync()).GetProperty("status").GetString());

        // A repeated registration of an erased treatment answers with the audit, not a failure.
        using var replay = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", TreatedAt, phone: Maya));
        Assert.True(replay.IsSuccessStatusCode, replay.StatusCode.ToString());

        // The erasure route carries the number in its path: neither the worker nor the host logged it.
        Assert.Contains(host.Logs.Lines, line => line.Contains("Erasure at clinic", StringComparison.Ordinal));
        foreach (var personal in MayasNumber.Append("Maya").Concat(texts.Select(t => t[..40])))
        {
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(personal, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Erasure_needs_the_clinics_signature_and_a_number_in_E164_and_an_unknown_number_is_404()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var other = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "visit-1", Maya, "Maya");
        var stored = (await host.RawEntitiesAsync()).Select(RawEntities.Fingerprint).Order(StringComparer.Ordinal).ToList();

        using var unsigned = await host.Http.DeleteAsync(ClientPath(clinic, Maya));
        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var foreign = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), other.Secret);
        await foreign.AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var elsewhere = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(other, Maya), other.Secret);
        await elsewhere.AssertProblemAsync(HttpStatusCode.NotFound);
        foreach (var spelling in new[] { "447911123456", "%2B44%207911%20123456", "%2B4407911123456", "%2B447911123456%0A", "%2B4479111234567890", "%2B" })
        {
            using var malformed = await host.SendSignedAsync(HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/{spelling}", clinic.Secret);
            var problem = await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("phone", out _), spelling);
        }

        Assert.Equal(stored, (await host.RawEntitiesAsync()).Select(RawEntities.Fingerprint).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_text_in_flight_is_sent_once_and_recorded_and_asking_again_then_finishes_the_erasure()
    {
        var gate = new SendGate();
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15), services =>
            services.Replace(ServiceDescriptor.Singleton<ISmsSender>(sp => gate.Around(ActivatorUtilities.CreateInstance<TwilioSmsSender>(sp)))));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "visit-1", Maya, "Maya");
        var texts = (await TimelineAsync(host, clinic, "visit-1")).Select(m => m.GetProperty("text").GetString()!).ToList();

        // The dispatcher has claimed the welcome and is handing it to Twilio when the clinic asks for erasure.
        var sweep = host.InvokeTimerAsync();
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        using var waiting = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        Assert.Equal("""{"erasedTreatments":0,"erasedMessages":5,"cancelledMessages":5,"inFlightMessages":1}""", (await waiting.ReadJsonAsync()).ToString());

        // The claim stands: the text goes once and is recorded with its SID.
        gate.Release();
        Assert.Equal(1, (await sweep).Sent);
        var timeline = await TimelineResponseAsync(host, clinic, "visit-1");
        Assert.Equal("sent", Registrations.Status(timeline, "welcome-redness"));
        Assert.StartsWith("SM", Registrations.Message(timeline, "welcome-redness").GetProperty("twilioSid").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, timeline.GetProperty("erasedAtUtc").ValueKind);

        using var done = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("""{"erasedTreatments":1,"erasedMessages":6,"cancelledMessages":5,"inFlightMessages":0}""", (await done.ReadJsonAsync()).ToString());
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [.. MayasNumber, "Maya", .. texts]));
        Assert.Single(host.Twilio.Requests, r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_retention_sweep_finishes_an_erasure_that_waited_for_a_text_in_flight()
    {
        var gate = new SendGate();
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15), services =>
            services.Replace(ServiceDescriptor.Singleton<ISmsSender>(sp => gate.Around(ActivatorUtilities.CreateInstance<TwilioSmsSender>(sp)))));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "visit-1", Maya, "Maya");
        var texts = (await TimelineAsync(host, clinic, "visit-1")).Select(m => m.GetProperty("text").GetString()!).ToList();
        var sweep = host.InvokeTimerAsync();
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        using var waiting = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        gate.Release();
        Assert.Equal(1, (await sweep).Sent);

        // The clinic never asks again: that night's retention sweep finishes it.
        host.Clock.Set(new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.Zero));
        Assert.Contains("1 examined, 1 erased", await host.InvokeRetentionAsync(), StringComparison.Ordinal);
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [.. MayasNumber, "Maya", .. texts]));
        using var answer = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("""{"erasedTreatments":1,"erasedMessages":6,"cancelledMessages":5,"inFlightMessages":0}""", (await answer.ReadJsonAsync()).ToString());
        Assert.Contains("0 examined", await host.InvokeRetentionAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_claim_read_before_the_erasure_and_written_after_it_loses_and_nothing_is_sent()
    {
        BeforeClaimStore? store = null;
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15), services =>
            services.Replace(ServiceDescriptor.Singleton<ITreatmentStore>(sp => store = new BeforeClaimStore(ActivatorUtilities.CreateInstance<TableTreatmentStore>(sp)))));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "visit-1", Maya, "Maya");
        var texts = (await TimelineAsync(host, clinic, "visit-1")).Select(m => m.GetProperty("text").GetString()!).ToList();

        // The dispatcher has read the welcome (scheduled, with its ETag); the erasure runs before its claim is written.
        HttpStatusCode? erasure = null;
        string? erasureAnswer = null;
        store!.BeforeFirstClaim = async () =>
        {
            using var response = await host.SendSignedAsync(HttpMethod.Delete, ClientPath(clinic, Maya), clinic.Secret);
            (erasure, erasureAnswer) = (response.StatusCode, (await response.ReadJsonAsync()).ToString());
        };
        var sweep = await host.InvokeTimerAsync();

        Assert.Equal(HttpStatusCode.OK, erasure);
        Assert.Equal("""{"erasedTreatments":1,"erasedMessages":6,"cancelledMessages":6,"inFlightMessages":0}""", erasureAnswer);
        Assert.Equal((0, 0, 1), (sweep.Sent, sweep.Held, sweep.Settled)); // The claim lost, the re-read found the welcome cancelled.
        Assert.DoesNotContain(host.Twilio.Requests, r => r.Method == HttpMethod.Post);
        Assert.All((await TimelineAsync(host, clinic, "visit-1")), m => Assert.Equal("cancelled", m.GetProperty("status").GetString()));
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [.. MayasNumber, "Maya", .. texts]));
    }

    private static string ClientPath(ClinicCredentials clinic, string phone) => $"/api/clinics/{clinic.Id}/clients/{Uri.EscapeDataString(phone)}";

    private static string Key((string Table, Azure.Data.Tables.TableEntity Entity) row) => row.Table + "\n" + row.Entity.PartitionKey + "\n" + row.Entity.RowKey;

    private static async Task RegisterAsync(AftercareApp host, ClinicCredentials clinic, string externalId, string phone, string firstName)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body(externalId, TreatedAt, phone: phone, firstName: firstName));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<JsonElement> TimelineResponseAsync(AftercareApp host, ClinicCredentials clinic, string externalId)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/{externalId}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static async Task<List<JsonElement>> TimelineAsync(AftercareApp host, ClinicCredentials clinic, string externalId) =>
        [.. (await TimelineResponseAsync(host, clinic, externalId)).GetProperty("messages").EnumerateArray()];
}
