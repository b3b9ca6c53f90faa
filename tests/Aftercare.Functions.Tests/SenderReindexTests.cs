using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// <c>POST /api/manage/senders/reindex</c> over real HTTP through the local host: a clinic created before the sender
/// index existed (no entries) gets its clients' replies routed again after the reindex, an entry of a sender the clinic
/// left is removed, and the work goes a page at a time.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class SenderReindexTests(Infrastructure infrastructure)
{
    private const string ReindexPath = "/api/manage/senders/reindex";
    private const string InboundPath = "/api/twilio/inbound";
    private const string Sender = "+15005550006";
    private const string OldSender = "+15005550001";
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_clinic_missing_from_the_index_is_routed_again_after_the_reindex_and_a_stale_entry_goes()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15), services =>
            services.Replace(ServiceDescriptor.Singleton(sp => new SenderIndexRebuild(sp.GetRequiredService<AftercareTables>()) { PageSize = 2 })));
        var clinic = await Clinics.CreateAsync(host);
        await Clinics.CreateAsync(host);
        await Clinics.CreateAsync(host);
        using (var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("visit-1", TreatedAt)))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        // As before the index existed: no entries. And one the clinic kept from a sender it used before its last change.
        var tables = new AftercareTables(host.Tables, host.TablePrefix);
        foreach (var entry in await tables.Senders.QueryAsync().ToListAsync())
        {
            await tables.Senders.DeleteAsync(entry.PartitionKey, entry.RowKey);
        }

        await tables.Senders.UpsertAsync(new TableEntity(OldSender, clinic.Id), TableUpdateMode.Replace);
        using (var changed = await host.Admin.PatchAsJsonAsync($"/api/manage/clinics/{clinic.Id}", new { bookingUrl = "https://book.example.com/riverside-2" }))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        // Unrouted: the reply finds no clinic and is not stored.
        using (var lost = await PostReplyAsync(host, "SM" + new string('1', 32), "my cheek is a bit red"))
        {
            Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        }

        Assert.Empty(await RepliesAsync(host, clinic));

        // Three clinics in pages of two, then the four entries (three clinics and the stale one) in pages of two.
        var pages = new List<JsonElement>();
        string? continuation = null;
        do
        {
            using var response = await ReindexAsync(host, continuation is null ? null : JsonSerializer.Serialize(new { continuation }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await response.ReadJsonAsync();
            pages.Add(page);
            continuation = page.GetProperty("continuation").GetString();
            Assert.Equal(continuation is null, page.GetProperty("done").GetBoolean());
            Assert.True(pages.Count < 20, "the reindex never finished");
        }
        while (continuation is not null);

        Assert.Equal(2, pages[0].GetProperty("clinicsIndexed").GetInt32());
        Assert.Equal(3, pages.Sum(p => p.GetProperty("clinicsIndexed").GetInt32()));
        Assert.Equal(1, pages.Sum(p => p.GetProperty("staleEntriesRemoved").GetInt32()));
        Assert.True(pages.Count >= 4, $"{pages.Count} pages");
        Assert.Null(await tables.Senders.FindAsync(OldSender, clinic.Id));
        Assert.NotNull(await tables.Senders.FindAsync(Sender, clinic.Id));

        // Routed again.
        using (var routed = await PostReplyAsync(host, "SM" + new string('2', 32), "my cheek is a bit red"))
        {
            Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        }

        var reply = Assert.Single(await RepliesAsync(host, clinic));
        Assert.Equal("my cheek is a bit red", reply.GetProperty("text").GetString());

        // Running it again changes nothing.
        var entries = await tables.Senders.QueryAsync().Select(e => e.PartitionKey + " " + e.RowKey).Order(StringComparer.Ordinal).ToListAsync();
        using (var again = await ReindexAsync(host, null))
        {
            Assert.Equal(2, (await again.ReadJsonAsync()).GetProperty("clinicsIndexed").GetInt32());
        }

        Assert.Equal(entries, await tables.Senders.QueryAsync().Select(e => e.PartitionKey + " " + e.RowKey).Order(StringComparer.Ordinal).ToListAsync());
    }

    [Fact]
    public async Task Only_the_master_key_reindexes_and_a_body_must_be_json_with_a_token_the_route_handed_out()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt);

        using var withFunctionKey = await host.Http.PostAsync(ReindexPath, content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);
        using var text = await host.Admin.PostAsync(ReindexPath, new StringContent("{}", Encoding.UTF8, "text/plain"));
        await text.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        using var malformed = await ReindexAsync(host, "[");
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
        using var foreign = await ReindexAsync(host, """{"continuation":"1!8!Y2xfMDE-"}""");
        var problem = await foreign.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("continuation", out _), problem.ToString());

        using var empty = await ReindexAsync(host, null);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("""{"clinicsIndexed":0,"staleEntriesRemoved":0,"continuation":"senders:","done":false}""", (await empty.ReadJsonAsync()).ToString());
    }

    private static Task<HttpResponseMessage> ReindexAsync(AftercareApp host, string? body) =>
        host.Admin.PostAsync(ReindexPath, body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

    private static Task<HttpResponseMessage> PostReplyAsync(AftercareApp host, string messageSid, string body)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AftercareApp.TwilioAccountSid,
            ["MessageSid"] = messageSid,
            ["From"] = Registrations.Phone,
            ["To"] = Sender,
            ["Body"] = body,
            ["NumMedia"] = "0",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, InboundPath) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, TwilioSignature.Compute(AftercareApp.TwilioAuthToken, "https://aftercare.example" + InboundPath, form));
        return host.Anonymous.SendAsync(request);
    }

    private static async Task<List<JsonElement>> RepliesAsync(AftercareApp host, ClinicCredentials clinic)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, clinic.TreatmentsPath + "/visit-1", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadJsonAsync()).GetProperty("replies").EnumerateArray()];
    }
}
