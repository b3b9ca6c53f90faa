using Aftercare.Testing;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

/// <summary>
/// Opt-outs are noted in the client history (column OptedOutAt), where a registration learns of them from the read it
/// makes anyway; the note outlives forgetting treatments and erasure, and opt-outs recorded before it are backfilled.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class OptOutInHistoryTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant At = Instant.FromUtc(2026, 2, 1, 10, 0);
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_registration_learns_of_an_opt_out_from_the_history_and_an_opt_in_lifts_it()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var optOuts = new TableOptOutStore(tables, TestKeys.PhoneHasher);
        var history = new TableClientHistory(tables, TestKeys.PhoneHasher);

        Assert.False((await history.RecordAsync("cl_a", Phone, "tr_1", None)).OptedOut);
        await optOuts.OptOutAsync("cl_a", Phone, "reply", At, None);
        Assert.True((await history.RecordAsync("cl_a", Phone, "tr_2", None)).OptedOut);
        Assert.False((await history.RecordAsync("cl_b", Phone, "tr_3", None)).OptedOut);

        await optOuts.OptInAsync("cl_a", Phone, None);
        Assert.False((await history.RecordAsync("cl_a", Phone, "tr_4", None)).OptedOut);
        Assert.False((await optOuts.ListOptedOutAsync("cl_a", None)).Contains(Phone));
        Assert.Equal(["tr_1", "tr_2", "tr_4"], (await history.FindAsync("cl_a", Phone, None))!.TreatmentIds);
    }

    [Fact]
    public async Task An_opt_out_of_a_number_without_history_leaves_a_row_that_forgetting_and_erasure_keep()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var optOuts = new TableOptOutStore(tables, TestKeys.PhoneHasher);
        var history = new TableClientHistory(tables, TestKeys.PhoneHasher);

        await history.RecordAsync("cl_a", Phone, "tr_1", None);
        await optOuts.OptOutAsync("cl_a", Phone, "reply", At, None);
        await history.ForgetAsync("cl_a", Phone, "tr_1", None);
        var kept = await tables.ClientHistory.FindAsync("cl_a", TestKeys.PhoneHasher.Hash(Phone));
        Assert.NotNull(kept?.GetDateTimeOffset("OptedOutAt"));
        Assert.Null(await history.FindAsync("cl_a", Phone, None)); // Nothing of the client is held: as for no row.

        await history.RecordAsync("cl_a", Phone, "tr_2", None);
        var found = (await history.FindAsync("cl_a", Phone, None))!;
        Assert.True(await history.TryMarkErasedAsync("cl_a", Phone, new(1, 6, 5), found.ETag, None));
        Assert.True((await history.RecordAsync("cl_a", Phone, "tr_3", None)).OptedOut);

        // Opting in drops the note; a history then left with nothing at all is gone.
        await optOuts.OptOutAsync("cl_b", Phone, "reply", At, None);
        await optOuts.OptInAsync("cl_b", Phone, None);
        Assert.Null(await tables.ClientHistory.FindAsync("cl_b", TestKeys.PhoneHasher.Hash(Phone)));
    }

    [Fact]
    public async Task A_stop_landing_between_a_registrations_read_and_write_fails_the_write_and_the_re_read_sees_it()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var other = new AftercareTables(azurite.CreateServiceClient(), prefix);
        await other.EnsureCreatedAsync();
        var stopAfterRead = new AfterFirstRead("clienthistory", () =>
            new TableOptOutStore(other, TestKeys.PhoneHasher).OptOutAsync("cl_a", Phone, "reply", At, None));
        var options = new TableClientOptions();
        options.AddPolicy(stopAfterRead, HttpPipelinePosition.PerCall);
        var history = new TableClientHistory(new AftercareTables(new TableServiceClient(azurite.ConnectionString, options), prefix), TestKeys.PhoneHasher);
        await new TableClientHistory(other, TestKeys.PhoneHasher).RecordAsync("cl_a", Phone, "tr_1", None);

        var recorded = await history.RecordAsync("cl_a", Phone, "tr_2", None);

        Assert.True(stopAfterRead.Fired);
        Assert.True(recorded.OptedOut);
        Assert.Equal(["tr_1"], recorded.EarlierTreatmentIds);
        Assert.Equal(["tr_1", "tr_2"], (await history.FindAsync("cl_a", Phone, None))!.TreatmentIds);
    }

    [Fact]
    public async Task The_backfill_notes_opt_outs_recorded_before_the_history_carried_them_page_by_page_and_again_harmlessly()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var history = new TableClientHistory(tables, TestKeys.PhoneHasher);
        string[] phones = ["+447700900001", "+447700900002", "+447700900003"];
        await history.RecordAsync("cl_a", phones[0], "tr_1", None);
        foreach (var phone in phones)
        {
            // As older versions stored them: the opt-out row alone.
            await tables.OptOuts.UpsertAsync(
                new TableEntity("cl_a", TestKeys.PhoneHasher.Hash(phone)) { ["Source"] = "reply", ["At"] = At.ToDateTimeOffset() }, TableUpdateMode.Replace);
        }

        Assert.False((await history.RecordAsync("cl_a", phones[0], "tr_2", None)).OptedOut);

        var backfill = new OptOutHistoryBackfill(tables, TestKeys.PhoneHasher) { PageSize = 2 };
        var first = await backfill.BackfillAsync(null, None);
        Assert.Equal(2, first.Noted);
        Assert.False(first.Done);
        Assert.True(OptOutHistoryBackfill.IsValidContinuation(first.Continuation));
        var second = await backfill.BackfillAsync(first.Continuation, None);
        Assert.Equal(1, second.Noted);
        Assert.True(second.Done);
        var rerun = await backfill.BackfillAsync(null, None);
        var rerunRest = await backfill.BackfillAsync(rerun.Continuation, None);
        Assert.Equal((3, true), (rerun.Noted + rerunRest.Noted, rerunRest.Done));

        foreach (var (phone, i) in phones.Select((p, i) => (p, i)))
        {
            Assert.True((await history.RecordAsync("cl_a", phone, $"tr_new_{i}", None)).OptedOut);
        }

        Assert.Equal(["tr_1", "tr_2", "tr_new_0"], (await history.FindAsync("cl_a", phones[0], None))!.TreatmentIds);
        await Assert.ThrowsAsync<ArgumentException>(() => backfill.BackfillAsync("not-a-token", None));
    }

    /// <summary>Runs an action once, right after the first read of the named table has been answered.</summary>
    private sealed class AfterFirstRead(string table, Func<Task> action) : HttpPipelinePolicy
    {
        private int _fired;

        public bool Fired => Volatile.Read(ref _fired) == 1;

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method == RequestMethod.Get
                && message.Request.Uri.Path.Contains(table + "(", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                await action();
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The repositories call the table service asynchronously.");
    }
}
