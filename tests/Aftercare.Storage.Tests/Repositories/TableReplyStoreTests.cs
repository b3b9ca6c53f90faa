using Aftercare.Core.Alerts;
using Aftercare.Core.Conversation;
using Aftercare.Core.Replies;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableReplyStoreTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_triaged_reply_reads_back_with_its_triage_and_alert_and_erasure_keeps_all_but_the_text()
    {
        var store = new TableReplyStore(await azurite.CreateAftercareTablesAsync());
        var urgent = new ClientReply("cl_a", "tr_1", "SM" + new string('1', 32), Instant.FromUtc(2026, 6, 1, 12, 0), "lips swollen, pus", ReplyKind.Text)
        {
            Triage = new ReplyTriageResult(TriageKind.Urgent, ["swelling-face", "pus"]),
            Alert = AlertRouting.Outbox,
        };
        var stop = new ClientReply("cl_a", "tr_1", "SM" + new string('2', 32), Instant.FromUtc(2026, 6, 1, 12, 5), "STOP", ReplyKind.OptOut);
        Assert.True(await store.TryAddAsync(urgent, None));
        Assert.True(await store.TryAddAsync(stop, None));
        Assert.False(await store.TryAddAsync(urgent with { Text = "changed" }, None));

        var found = await store.FindAsync("cl_a", "tr_1", urgent.MessageSid, None);
        AssertSame(urgent, found!);
        Assert.Null(await store.FindAsync("cl_a", "tr_1", "SM" + new string('3', 32), None));
        var listed = await store.ListAsync("cl_a", "tr_1", None);
        Assert.Equal(2, listed.Count);
        AssertSame(urgent, listed[0]);
        AssertSame(stop, listed[1]);

        Assert.Equal(2, await store.EraseTextsAsync("cl_a", "tr_1", None));
        Assert.Equal(0, await store.EraseTextsAsync("cl_a", "tr_1", None));
        var erased = await store.ListAsync("cl_a", "tr_1", None);
        AssertSame(urgent with { Text = string.Empty }, erased[0]);
        AssertSame(stop with { Text = string.Empty }, erased[1]);
    }

    private static void AssertSame(ClientReply expected, ClientReply actual)
    {
        Assert.Equal(expected with { Triage = null }, actual with { Triage = null });
        Assert.Equal(expected.Triage?.Kind, actual.Triage?.Kind);
        Assert.Equal(expected.Triage?.MatchedRules, actual.Triage?.MatchedRules);
    }
}
