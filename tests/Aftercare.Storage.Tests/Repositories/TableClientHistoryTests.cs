using Aftercare.Core.Delivery;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableClientHistoryTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string Phone = "+15550001111";

    [Fact]
    public async Task Returns_what_was_recorded_before_and_is_idempotent()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);

        Assert.Empty(await EarlierAsync(history, "cl_a", Phone, "tr_1"));
        Assert.Equal(["tr_1"], await EarlierAsync(history, "cl_a", Phone, "tr_2"));
        Assert.Equal(["tr_1"], await EarlierAsync(history, "cl_a", Phone, "tr_2"));
        Assert.Empty(await EarlierAsync(history, "cl_a", Phone, "tr_1"));
        Assert.Equal(["tr_1", "tr_2"], await EarlierAsync(history, "cl_a", Phone, "tr_3"));
        Assert.Empty(await EarlierAsync(history, "cl_b", Phone, "tr_9"));
        Assert.Empty(await EarlierAsync(history, "cl_a", "+15550002222", "tr_8"));
    }

    [Fact]
    public async Task Tells_a_registration_about_the_last_twenty_and_keeps_them_all_for_erasure()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);
        for (var i = 0; i < 25; i++)
        {
            await history.RecordAsync("cl_a", Phone, $"tr_{i:D2}", None);
        }

        var before = await EarlierAsync(history, "cl_a", Phone, "tr_last");
        var all = await history.FindAsync("cl_a", Phone, None);

        Assert.Equal(Enumerable.Range(5, 20).Select(i => $"tr_{i:D2}"), before);
        Assert.NotNull(all);
        Assert.Equal([.. Enumerable.Range(0, 25).Select(i => $"tr_{i:D2}"), "tr_last"], all.TreatmentIds);
        Assert.Equal(default, all.Erased);
    }

    [Fact]
    public async Task The_row_is_keyed_by_the_keyed_hash_and_holds_no_number()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var history = new TableClientHistory(tables, TestKeys.PhoneHasher);

        await history.RecordAsync("cl_a", Phone, "tr_1", None);

        var row = Assert.Single(await tables.ClientHistory.QueryAsync().ToListAsync());
        Assert.Equal(TestKeys.PhoneHasher.Hash(Phone), row.RowKey);
        Assert.DoesNotContain(row.Select(p => p.Value), value => value?.ToString()?.Contains("5550001111", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_erased_client_keeps_only_the_totals_and_later_treatments_are_added_to_them()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);
        await history.RecordAsync("cl_a", Phone, "tr_1", None);
        await history.RecordAsync("cl_a", Phone, "tr_2", None);
        await history.RecordTextedAsync("cl_a", Phone, Instant.FromUtc(2026, 6, 1, 12, 0), None);
        var found = (await history.FindAsync("cl_a", Phone, None))!;

        Assert.True(await history.TryMarkErasedAsync("cl_a", Phone, new(2, 12, 9), found.ETag, None));
        Assert.False(await history.TryMarkErasedAsync("cl_a", Phone, new(5, 5, 5), found.ETag, None));
        var erased = (await history.FindAsync("cl_a", Phone, None))!;
        Assert.Empty(erased.TreatmentIds);
        Assert.Equal(new(2, 12, 9), erased.Erased);

        // Erasure forgets that the number had a text too, so its next text carries the opt-out line again.
        AssertHistory(false, [], await history.RecordAsync("cl_a", Phone, "tr_3", None));
        var again = (await history.FindAsync("cl_a", Phone, None))!;
        Assert.Equal(["tr_3"], again.TreatmentIds);
        Assert.Equal(new(2, 12, 9), again.Erased);
        Assert.Null(await history.FindAsync("cl_b", Phone, None));
    }

    [Fact]
    public async Task Forgetting_removes_one_treatment_and_the_row_once_nothing_is_left()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var history = new TableClientHistory(tables, TestKeys.PhoneHasher);
        await history.RecordAsync("cl_a", Phone, "tr_1", None);
        await history.RecordAsync("cl_a", Phone, "tr_2", None);

        await history.ForgetAsync("cl_a", Phone, "tr_1", None);
        await history.ForgetAsync("cl_a", Phone, "tr_1", None);
        Assert.Equal(["tr_2"], (await history.FindAsync("cl_a", Phone, None))!.TreatmentIds);

        await history.ForgetAsync("cl_a", Phone, "tr_2", None);
        Assert.Null(await history.FindAsync("cl_a", Phone, None));
        Assert.Empty(await tables.ClientHistory.QueryAsync().ToListAsync());
        await history.ForgetAsync("cl_a", Phone, "tr_2", None);
    }

    [Fact]
    public async Task Concurrent_records_for_one_client_lose_none()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);
        var ids = Enumerable.Range(0, 10).Select(i => $"tr_{i}").ToArray();

        var results = await Task.WhenAll(ids.Select(id => Task.Run(() => EarlierAsync(history, "cl_a", Phone, id))));
        var all = await EarlierAsync(history, "cl_a", Phone, "tr_after");

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        // Each call saw a distinct prefix of the final order: exactly one saw nothing, one saw one id, and so on.
        Assert.Equal(Enumerable.Range(0, 10), results.Select(r => r.Count).Order());
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(all.Take(results[i].Count), results[i]);
        }
    }

    [Fact]
    public async Task A_text_recorded_for_a_number_is_known_to_every_later_registration_at_that_clinic_only()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);
        Assert.False((await history.RecordAsync("cl_a", Phone, "tr_1", None)).Texted);

        await history.RecordTextedAsync("cl_a", Phone, Instant.FromUtc(2026, 6, 1, 12, 0), None);

        AssertHistory(true, ["tr_1"], await history.RecordAsync("cl_a", Phone, "tr_2", None));
        AssertHistory(true, ["tr_1", "tr_2"], await history.RecordAsync("cl_a", Phone, "tr_3", None));
        Assert.False((await history.RecordAsync("cl_b", Phone, "tr_9", None)).Texted);
        Assert.False((await history.RecordAsync("cl_a", "+15550002222", "tr_8", None)).Texted);
    }

    [Fact]
    public async Task A_text_recorded_before_any_treatment_is_kept_when_the_first_one_is_recorded()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);

        await history.RecordTextedAsync("cl_a", Phone, Instant.FromUtc(2026, 6, 1, 12, 0), None);
        await history.RecordTextedAsync("cl_a", Phone, Instant.FromUtc(2026, 6, 2, 12, 0), None);

        AssertHistory(true, [], await history.RecordAsync("cl_a", Phone, "tr_1", None));
        AssertHistory(true, ["tr_1"], await history.RecordAsync("cl_a", Phone, "tr_2", None));
    }

    [Fact]
    public async Task Texts_recorded_while_treatments_are_recorded_lose_neither()
    {
        var history = new TableClientHistory(await azurite.CreateAftercareTablesAsync(), TestKeys.PhoneHasher);
        var ids = Enumerable.Range(0, 8).Select(i => $"tr_{i}").ToArray();

        await Task.WhenAll(
            ids.Select(id => Task.Run(() => history.RecordAsync("cl_a", Phone, id, None)))
                .Concat(ids.Select(_ => Task.Run(() => history.RecordTextedAsync("cl_a", Phone, Instant.FromUtc(2026, 6, 1, 12, 0), None)))));
        var after = await history.RecordAsync("cl_a", Phone, "tr_after", None);

        Assert.True(after.Texted);
        Assert.Equal(ids.Order(StringComparer.Ordinal), after.EarlierTreatmentIds.Order(StringComparer.Ordinal));
    }

    private static async Task<IReadOnlyList<string>> EarlierAsync(TableClientHistory history, string clinicId, string phone, string treatmentId) =>
        (await history.RecordAsync(clinicId, phone, treatmentId, None)).EarlierTreatmentIds;

    private static void AssertHistory(bool texted, string[] earlier, ClientHistory history)
    {
        Assert.Equal(texted, history.Texted);
        Assert.Equal(earlier, history.EarlierTreatmentIds);
    }
}
