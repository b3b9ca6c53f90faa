using Aftercare.Core.Clinics;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

/// <summary>
/// The sender index rebuilt from the clinics, a page at a time: clinics created before the index existed are recorded
/// under their senders, an entry of a sender its clinic left is removed, and entries that may belong to a change still
/// under way stay.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class SenderIndexRebuildTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Pages_through_the_clinics_then_the_entries_and_a_second_run_changes_nothing()
    {
        var roundTrips = new TableRoundTrips();
        var tables = await azurite.CreateAftercareTablesAsync(roundTrips);
        var store = new TableClinicStore(tables, TestKeys.SecretCipher);
        var senders = new TableSenderDirectory(tables);
        var clinics = Enumerable.Range(1, 5).Select(i => NewClinic($"+4477009000{i:D2}")).ToList();
        clinics[4] = clinics[4] with { SenderPhone = null, MessagingServiceSid = "MG" + new string('a', 32) };
        foreach (var clinic in clinics)
        {
            await store.CreateAsync(clinic, None);
        }

        // As before the index existed: no entries at all.
        foreach (var entry in await tables.Senders.QueryAsync().ToListAsync())
        {
            await tables.Senders.DeleteAsync(entry.PartitionKey, entry.RowKey);
        }

        // The first clinic used to send from +447700900099: its entry stayed when it moved (an update that crashed
        // before removing it). The second's entry for +447700900098 was written after its last change: a move under way.
        // And an entry of a clinic whose creation never finished.
        await tables.Senders.UpsertAsync(new TableEntity("+447700900099", clinics[0].Id), TableUpdateMode.Replace);
        await store.UpdateAsync(clinics[0].Id, c => c with { Name = "Moved" }, None);
        await tables.Senders.UpsertAsync(new TableEntity("+447700900098", clinics[1].Id), TableUpdateMode.Replace);
        await tables.Senders.UpsertAsync(new TableEntity("+447700900097", ClinicIds.Create()), TableUpdateMode.Replace);
        Assert.Empty(await senders.FindClinicIdsAsync("+447700900001", None));

        var rebuild = new SenderIndexRebuild(tables) { PageSize = 2 };
        SenderReindexPage first;
        using (var scope = roundTrips.BeginScope())
        {
            first = await rebuild.ReindexAsync(null, None);
            Assert.Equal(3, scope.Calls); // The page's query and an upsert per sender.
        }

        Assert.Equal(2, first.ClinicsIndexed);
        Assert.False(first.Done);
        var pages = await RunAsync(rebuild, first.Continuation);
        Assert.Equal(3, pages.Sum(p => p.ClinicsIndexed));
        Assert.Equal(1, pages.Sum(p => p.StaleEntriesRemoved));
        Assert.True(pages.Count >= 6, $"{pages.Count} pages"); // Two more of clinics, then 8 entries in pages of 2.

        foreach (var clinic in clinics)
        {
            Assert.Equal([clinic.Id], await senders.FindClinicIdsAsync(clinic.SenderPhone ?? clinic.MessagingServiceSid!, None));
        }

        Assert.Empty(await senders.FindClinicIdsAsync("+447700900099", None));
        Assert.Equal([clinics[1].Id], await senders.FindClinicIdsAsync("+447700900098", None));
        Assert.Single(await senders.FindClinicIdsAsync("+447700900097", None));

        var entries = await EntriesAsync(tables);
        var again = await RunAsync(rebuild, null);
        Assert.Equal(5, again.Sum(p => p.ClinicsIndexed));
        Assert.Equal(0, again.Sum(p => p.StaleEntriesRemoved));
        Assert.Equal(entries, await EntriesAsync(tables));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1!8!Y2xfMDE-")]
    [InlineData("treatments:x")]
    public async Task A_token_it_did_not_hand_out_is_refused(string continuation)
    {
        var rebuild = new SenderIndexRebuild(await azurite.CreateAftercareTablesAsync());

        Assert.False(SenderIndexRebuild.IsValidContinuation(continuation));
        await Assert.ThrowsAsync<ArgumentException>(() => rebuild.ReindexAsync(continuation, None));
    }

    /// <summary>Every call from <paramref name="continuation"/> (null: from the start) until done.</summary>
    private static async Task<List<SenderReindexPage>> RunAsync(SenderIndexRebuild rebuild, string? continuation)
    {
        var pages = new List<SenderReindexPage>();
        var token = continuation;
        do
        {
            var page = await rebuild.ReindexAsync(token, None);
            pages.Add(page);
            token = page.Continuation;
            Assert.True(pages.Count < 50, "the reindex never finished");
        }
        while (token is not null);

        return pages;
    }

    private static async Task<List<string>> EntriesAsync(AftercareTables tables) =>
        [.. (await tables.Senders.QueryAsync().ToListAsync()).Select(e => e.PartitionKey + " " + e.RowKey).Order(StringComparer.Ordinal)];

    private static Clinic NewClinic(string senderPhone) => new()
    {
        Id = ClinicIds.Create(),
        Name = "Glow",
        TimeZoneId = "Europe/London",
        SenderPhone = senderPhone,
        BookingUrl = "https://glow.example/book",
        ContactPhone = "+442071234567",
        QuietHours = QuietHours.Default,
        DefaultLocale = "en",
        WebhookSecret = "c2VjcmV0",
        CreatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
    };
}
