using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Treatments;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

/// <summary>
/// What each repository operation costs in Table service round trips today, so a change that adds one shows here.
/// Azurite scans whole tables for every filter, so these tests count requests, which Azure bills and waits on alike.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class RepositoryRoundTripTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TableRoundTrips _roundTrips = new();

    [Fact]
    public async Task Clinic_store()
    {
        var store = new TableClinicStore(await azurite.CreateAftercareTablesAsync(_roundTrips), TestKeys.SecretCipher);
        var clinic = NewClinic();

        // The sender index row, then the clinic.
        Assert.Equal(2, await CallsAsync(() => store.CreateAsync(clinic, None)));
        Assert.Equal(1, await CallsAsync(() => store.FindAsync(clinic.Id, None)));
        Assert.Equal(1, await CallsAsync(() => store.FindAsync("cl_unknown", None)));
        Assert.Equal(0, await CallsAsync(() => store.FindAsync("a/b", None)));
        Assert.Equal(2, await CallsAsync(() => store.UpdateAsync(clinic.Id, c => c with { Name = "Renamed" }, None)));

        // A new sender: the read, the new index row, the replace, the old index row's delete.
        Assert.Equal(4, await CallsAsync(() => store.UpdateAsync(clinic.Id, c => c with { SenderPhone = "+447700900002" }, None)));
    }

    [Fact]
    public async Task Sender_directory_and_reply_store()
    {
        var tables = await azurite.CreateAftercareTablesAsync(_roundTrips);
        var senders = new TableSenderDirectory(tables);
        var replies = new TableReplyStore(tables);
        var reply = new Core.Conversation.ClientReply("cl_a", "tr_1", "SM" + new string('0', 32), Instant.FromUtc(2026, 6, 1, 12, 0), "hello", Core.Conversation.ReplyKind.Text);

        Assert.Equal(1, await CallsAsync(() => senders.FindClinicIdsAsync("+447700900001", None)));
        Assert.Equal(1, await CallsAsync(() => replies.TryAddAsync(reply, None)));
        Assert.Equal(1, await CallsAsync(() => replies.TryAddAsync(reply, None)));
        Assert.Equal(1, await CallsAsync(() => replies.ListAsync("cl_a", "tr_1", None)));
        Assert.Equal(2, await CallsAsync(() => replies.EraseTextsAsync("cl_a", "tr_1", None)));
        Assert.Equal(1, await CallsAsync(() => replies.EraseTextsAsync("cl_a", "tr_1", None)));
    }

    [Fact]
    public async Task Treatment_store()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync(_roundTrips));
        var treatment = TreatmentSamples.Treatment();
        OutboundMessage[] messages = [.. Enumerable.Range(0, 6).Select(i => TreatmentSamples.Message(i, $"stage{i}"))];

        Assert.Equal(1, await CallsAsync(() => store.TryCreateAsync(treatment, messages, None)));
        Assert.Equal(1, await CallsAsync(() => store.TryCreateAsync(treatment, messages, None)));
        Assert.Equal(1, await CallsAsync(() => store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None)));
        Assert.Equal(1, await CallsAsync(() => store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, "stage3", None)));
        var message = (await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, "stage3", None))!;
        Assert.Equal(1, await CallsAsync(() => store.TryReplaceMessageAsync(
            treatment.ClinicId, treatment.TreatmentId, message.Value with { Status = MessageStatus.Sending }, message.ETag, None)));
        Assert.Equal(1, await CallsAsync(() => store.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, message.Value, message.ETag, None)));
        var record = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        Assert.Equal(1, await CallsAsync(() => store.TryReplaceTreatmentAsync(treatment, record.Treatment.ETag, None)));
        record = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        Assert.Equal(1, await CallsAsync(() => store.TryReplaceAllAsync(record.Treatment, record.Messages, None)));
        record = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        var pending = record.Messages[0];
        Assert.Equal(1, await CallsAsync(() => store.TryClaimMessageAsync(record.Treatment, pending.Value with { Status = MessageStatus.Sending }, pending.ETag, None)));
    }

    [Fact]
    public async Task Due_index()
    {
        var index = new TableDueIndex(await azurite.CreateAftercareTablesAsync(_roundTrips), new DispatchOptions { Shards = 1 });
        var now = Instant.FromUtc(2026, 6, 1, 12, 0, 30);
        var sixMinutes = Enumerable.Range(0, 6).Select(i => new DueEntry(now.Plus(Duration.FromMinutes(i - 5)), "cl_a", "tr_1", $"s{i}")).ToList();
        var oneMinute = Enumerable.Range(0, 150).Select(i => new DueEntry(now.Minus(Duration.FromMilliseconds(i)), "cl_a", $"tr_{i:D3}", "now")).ToList();

        // A treatment's entries are one shard: one transaction, whatever minutes they are due in.
        Assert.Equal(1, await CallsAsync(() => index.AddAsync(sixMinutes, None)));
        Assert.Equal(2, await CallsAsync(() => index.AddAsync(oneMinute, None)));
        Assert.Equal(1, await CallsAsync(() => index.ListDueAsync(0, now, null, 500, None)));
        Assert.Equal(1, await CallsAsync(() => index.ListDueAsync(0, now, null, 100, None)));

        // A page's removals and moves are one transaction per shard and 100; when one was removed already, one call each;
        // a single removal is a plain delete, one call even when the row is gone.
        Assert.Equal(1, await CallsAsync(() => index.ApplyAsync(0, sixMinutes[..3], [sixMinutes[3] with { DueAt = now.Plus(Duration.FromHours(1)) }], None)));
        Assert.Equal(1 + 3, await CallsAsync(() => index.ApplyAsync(0, sixMinutes[..3], [], None)));
        Assert.Equal(1, await CallsAsync(() => index.ApplyAsync(0, sixMinutes[..1], [], None)));

        // Nothing of the older layout left: one empty read. The shard count: a read, and a write the first time.
        Assert.Equal(1, await CallsAsync(() => index.MoveLegacyEntriesAsync(500, None)));
        Assert.Equal(2, await CallsAsync(() => index.ShardCountAsync(1, None)));
        Assert.Equal(1, await CallsAsync(() => index.ShardCountAsync(1, None)));
    }

    [Fact]
    public async Task Opt_out_store()
    {
        var store = new TableOptOutStore(await azurite.CreateAftercareTablesAsync(_roundTrips), TestKeys.PhoneHasher);

        // A clinic's opt-outs, none or some, are one key-only query page.
        Assert.Equal(1, await CallsAsync(() => store.ListOptedOutAsync("cl_a", None)));
        // The opt-out and its note in the client history; opting in reads the history, drops the note, then the opt-out.
        Assert.Equal(2, await CallsAsync(() => store.OptOutAsync("cl_a", "+447700900123", "STOP", Instant.FromUtc(2026, 1, 1, 0, 0), None)));
        Assert.Equal(1, await CallsAsync(() => store.ListOptedOutAsync("cl_a", None)));
        Assert.Equal(3, await CallsAsync(() => store.OptInAsync("cl_a", "+447700900123", None)));
        Assert.Equal(2, await CallsAsync(() => store.OptInAsync("cl_a", "+447700900123", None)));
    }

    [Fact]
    public async Task Client_history()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(_roundTrips), TestKeys.PhoneHasher);

        Assert.Equal(2, await CallsAsync(() => history.RecordAsync("cl_a", "+447700900123", "tr_1", None)));
        Assert.Equal(2, await CallsAsync(() => history.RecordAsync("cl_a", "+447700900123", "tr_2", None)));
        Assert.Equal(1, await CallsAsync(() => history.RecordAsync("cl_a", "+447700900123", "tr_2", None)));
        Assert.Equal(1, await CallsAsync(() => history.RecordTextedAsync("cl_a", "+447700900123", Instant.FromUtc(2026, 1, 1, 0, 0), None)));
        Assert.Equal(1, await CallsAsync(() => history.RecordTextedAsync("cl_a", ["+447700900123", "+447700900124", "+447700900125"], Instant.FromUtc(2026, 1, 1, 0, 0), None)));
        Assert.Equal(2, await CallsAsync(() => history.RecordAsync("cl_a", "+447700900123", "tr_3", None)));
        Assert.Equal(1, await CallsAsync(() => history.FindAsync("cl_a", "+447700900123", None)));
        Assert.Equal(2, await CallsAsync(() => history.ForgetAsync("cl_a", "+447700900123", "tr_1", None)));
        Assert.Equal(1, await CallsAsync(() => history.ForgetAsync("cl_a", "+447700900123", "tr_1", None)));
        var found = (await history.FindAsync("cl_a", "+447700900123", None))!;
        Assert.Equal(2, await CallsAsync(() => history.TryMarkErasedAsync("cl_a", "+447700900123", new(1, 6, 5), found.ETag, None)));
    }

    [Fact]
    public async Task Retention_index()
    {
        var index = new TableRetentionIndex(await azurite.CreateAftercareTablesAsync(_roundTrips));
        var day = new LocalDate(2026, 6, 1);
        var entries = Enumerable.Range(0, 30).Select(i => new Core.Privacy.RetentionEntry(Core.Privacy.RetentionReason.Settled, day.PlusDays(-i), "cl_a", $"tr_{i}")).ToList();
        foreach (var entry in entries)
        {
            await index.AddAsync(entry, None);
        }

        Assert.Equal(1, await CallsAsync(() => index.AddAsync(entries[0], None)));
        // One range query per shard (16 by default) and one over the legacy retention table.
        Assert.Equal(17, await CallsAsync(() => index.ListDueAsync(Core.Privacy.RetentionReason.Settled, day, 100, None)));
        Assert.Equal(17, await CallsAsync(() => index.ListDueAsync(Core.Privacy.RetentionReason.ErasureRequested, day, 100, None)));
        Assert.Equal(1, await CallsAsync(() => index.RemoveAsync(entries[0], None)));
    }

    private async Task<int> CallsAsync(Func<Task> operation)
    {
        using var scope = _roundTrips.BeginScope();
        await operation();
        return scope.Calls;
    }

    private static Clinic NewClinic() => new()
    {
        Id = ClinicIds.Create(),
        Name = "Glow",
        TimeZoneId = "Europe/London",
        SenderPhone = "+447700900001",
        BookingUrl = "https://glow.example/book",
        ContactPhone = "+442071234567",
        QuietHours = QuietHours.Default,
        DefaultLocale = "en",
        WebhookSecret = "c2VjcmV0",
        CreatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
    };
}
