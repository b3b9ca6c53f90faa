using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// What a registration costs in Table round trips end to end through the local Functions host (the worker logs each
/// registration's count, clinic look-up included), and the pieces that make it four for a new client: the clinic cache
/// of signed requests (and its invalidation by PATCH), and the opt-out read from the client history (and its backfill).
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed partial class RegistrationCostTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_new_clients_registration_takes_four_table_round_trips_a_repeat_two_and_a_rebooking_a_read_and_a_write_per_prompt_more()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);

        // The clinic's first signed request reads it; later ones find it in the cache.
        var (first, _) = await RegisterAsync(host, clinic, "visit-0", "+447400123401");
        Assert.Equal("created, 5 table round trips", first);

        var (created, _) = await RegisterAsync(host, clinic, "visit-1", "+447400123402");
        Assert.Equal("created, 4 table round trips", created);

        var (repeated, _) = await RegisterAsync(host, clinic, "visit-1", "+447400123402");
        Assert.Equal("existing, 2 table round trips", repeated);

        var (rebooked, response) = await RegisterAsync(host, clinic, "visit-2", "+447400123402");
        using var earlier = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-1", clinic.Secret);
        var cancelled = (await earlier.ReadJsonAsync()).GetProperty("messages").EnumerateArray()
            .Count(m => m.GetProperty("status").GetString() == "cancelled");
        Assert.True(cancelled > 0);
        Assert.Equal($"created, {4 + 1 + cancelled} table round trips", rebooked);
        Assert.Equal("active", response.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_patch_of_the_clinic_shapes_the_very_next_registration_though_the_clinic_is_cached()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var (_, before) = await RegisterAsync(host, clinic, "visit-1", "+447400123401");
        Assert.Contains("https://book.example.com/riverside", before.ToString(), StringComparison.Ordinal);

        using var patched = await host.Admin.PatchAsync(
            $"/api/manage/clinics/{clinic.Id}",
            new StringContent("""{"bookingUrl":"https://book.example.com/riverside-new"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var (_, after) = await RegisterAsync(host, clinic, "visit-2", "+447400123402");

        Assert.Contains("https://book.example.com/riverside-new", after.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_opt_out_recorded_before_the_history_carried_it_is_honoured_at_registration_once_backfilled()
    {
        const string Maya = "+447400123403";
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        var tables = new AftercareTables(host.Tables, host.TablePrefix);
        await tables.OptOuts.UpsertAsync(
            new TableEntity(clinic.Id, TestKeys.PhoneHasher.Hash(Maya)) { ["Source"] = "reply", ["At"] = TreatedAt.AddDays(-30) }, TableUpdateMode.Replace);

        // Unknown to the history: the registration schedules (the dispatcher's send-time check would still suppress).
        var (_, unaware) = await RegisterAsync(host, clinic, "visit-1", Maya);
        Assert.Equal("active", unaware.GetProperty("status").GetString());

        using var refused = await host.Http.PostAsync("/api/manage/optouts/backfill", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var badToken = await host.Admin.PostAsync("/api/manage/optouts/backfill", Json("""{"continuation":"somewhere"}"""));
        await badToken.AssertProblemAsync(HttpStatusCode.BadRequest);
        using var backfilled = await host.Admin.PostAsync("/api/manage/optouts/backfill", content: null);
        var page = await backfilled.ReadJsonAsync();
        Assert.Equal((1, true), (page.GetProperty("optOutsNoted").GetInt32(), page.GetProperty("done").GetBoolean()));

        var (_, known) = await RegisterAsync(host, clinic, "visit-2", Maya);
        Assert.Equal("opted-out", known.GetProperty("status").GetString());
    }

    private static async Task<(string Cost, JsonElement Timeline)> RegisterAsync(AftercareApp host, ClinicCredentials clinic, string externalId, string phone)
    {
        var before = host.Logs.Lines.Count;
        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body(externalId, TreatedAt, phone: phone));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        var cost = host.Logs.Lines.Skip(before)
            .Where(l => !l.Contains("host/", StringComparison.Ordinal))
            .Select(l => CostLine().Match(l))
            .Single(m => m.Success);
        return (cost.Groups["cost"].Value, await response.ReadJsonAsync());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [GeneratedRegex(@"Treatment registration: (?<cost>[a-z]+, \d+ table round trips)")]
    private static partial Regex CostLine();
}
