using Aftercare.Core.Treatments;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

[Collection(AzuriteGroup.Name)]
public sealed class TableTreatmentStoreTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task TryCreate_writes_once_and_a_second_registration_writes_nothing()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var store = new TableTreatmentStore(tables);
        var treatment = TreatmentSamples.Treatment();
        OutboundMessage[] messages = [TreatmentSamples.Message(0, "now"), TreatmentSamples.Message(1, "day1")];

        Assert.True(await store.TryCreateAsync(treatment, messages, None));
        Assert.False(await store.TryCreateAsync(
            treatment with { ExternalId = "changed" }, [.. messages, TreatmentSamples.Message(2, "extra")], None));

        var record = await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None);
        Assert.NotNull(record);
        Assert.Equal("ext-1", record.Treatment.Value.ExternalId);
        Assert.Equal(["now", "day1"], record.Messages.Select(m => m.Value.StageId));
        Assert.Equal(3, await tables.Treatments.QueryAsync().CountAsync());
    }

    [Fact]
    public async Task Find_returns_every_field_and_the_messages_in_plan_order_with_etags()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        var treatment = TreatmentSamples.Treatment() with { StatusReason = "why not", ClientTextedBefore = true };
        var claimed = TreatmentSamples.Message(1, "day1") with
        {
            Status = MessageStatus.Sending,
            ClaimedAt = Instant.FromUtc(2026, 3, 9, 14, 0, 1),
            LeaseUntil = Instant.FromUtc(2026, 3, 9, 14, 2),
            Attempts = 1,
            ProviderMessageId = "SM123",
            ErrorCode = "30003",
            StatusReason = "r",
            SentAt = Instant.FromUtc(2026, 3, 9, 14, 0, 2),
            UpdatedAt = Instant.FromUtc(2026, 3, 9, 14, 0, 3),
            DueLocal = new LocalDateTime(2026, 3, 9, 9, 0, 0, 500),
            Locale = "es",
        };
        OutboundMessage[] messages = [TreatmentSamples.Message(10, "week6"), claimed, TreatmentSamples.Message(0, "now"), TreatmentSamples.Message(9, "week4")];

        await store.TryCreateAsync(treatment, messages, None);
        var record = await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None);

        Assert.NotNull(record);
        Assert.Equal(treatment, record.Treatment.Value);
        Assert.Equal(1.50m.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Treatment.Value.Details.NeedleDepthMm!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([0, 1, 9, 10], record.Messages.Select(m => m.Value.Sequence));
        Assert.Equal(claimed, record.Messages[1].Value);
        Assert.Equal(messages.OrderBy(m => m.Sequence), record.Messages.Select(m => m.Value));
        Assert.All(record.Messages, m => Assert.False(string.IsNullOrEmpty(m.ETag)));
        Assert.False(string.IsNullOrEmpty(record.Treatment.ETag));
    }

    [Fact]
    public async Task A_treatment_without_needle_depth_round_trips()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        var treatment = TreatmentSamples.Treatment();
        treatment = treatment with { Details = treatment.Details with { NeedleDepthMm = null } };

        await store.TryCreateAsync(treatment, [], None);

        Assert.Equal(treatment, (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!.Treatment.Value);
    }

    [Fact]
    public async Task Find_of_a_missing_treatment_is_null()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        Assert.Null(await store.FindAsync("cl_0123456789abcdef0123", "tr_missing", None));
    }

    [Fact]
    public async Task FindMessage_finds_a_stage_by_id_in_one_query()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        var treatment = TreatmentSamples.Treatment();
        await store.TryCreateAsync(treatment, [TreatmentSamples.Message(0, "now"), TreatmentSamples.Message(1, "day1"), TreatmentSamples.Message(2, "day10")], None);

        var found = await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, "day1", None);
        var missing = await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, "day", None);

        Assert.NotNull(found);
        Assert.Equal((1, "day1"), (found.Value.Sequence, found.Value.StageId));
        Assert.Null(missing);
    }

    [Fact]
    public async Task TryReplaceMessage_succeeds_with_the_current_etag_and_returns_null_with_a_stale_one()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        var treatment = TreatmentSamples.Treatment();
        await store.TryCreateAsync(treatment, [TreatmentSamples.Message(0, "now")], None);
        var original = (await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, "now", None))!;

        var claimed = original.Value with { Status = MessageStatus.Sending, StatusReason = "a" };
        var newEtag = await store.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, claimed, original.ETag, None);
        var lost = await store.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, original.Value with { StatusReason = "b" }, original.ETag, None);

        Assert.NotNull(newEtag);
        Assert.NotEqual(original.ETag, newEtag);
        Assert.Null(lost);
        var stored = (await store.FindMessageAsync(treatment.ClinicId, treatment.TreatmentId, "now", None))!;
        Assert.Equal(claimed, stored.Value);
        Assert.Equal(newEtag, stored.ETag);
    }

    [Fact]
    public async Task TryReplaceTreatment_succeeds_with_the_current_etag_and_returns_null_with_a_stale_one()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        var treatment = TreatmentSamples.Treatment();
        await store.TryCreateAsync(treatment, [TreatmentSamples.Message(0, "now")], None);
        var original = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!.Treatment;

        var cancelled = treatment with { Status = TreatmentStatus.Cancelled, StatusReason = "clinic cancelled" };
        var newEtag = await store.TryReplaceTreatmentAsync(cancelled, original.ETag, None);
        var lost = await store.TryReplaceTreatmentAsync(treatment with { Status = TreatmentStatus.OptedOut }, original.ETag, None);

        Assert.NotNull(newEtag);
        Assert.Null(lost);
        var record = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        Assert.Equal(cancelled, record.Treatment.Value);
        Assert.Single(record.Messages);
    }

    [Fact]
    public async Task TryReplaceAll_writes_the_treatment_and_messages_together_or_nothing_when_any_changed()
    {
        var store = new TableTreatmentStore(await azurite.CreateAftercareTablesAsync());
        var treatment = TreatmentSamples.Treatment();
        await store.TryCreateAsync(treatment, [TreatmentSamples.Message(0, "now"), TreatmentSamples.Message(1, "day1")], None);
        var record = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        var (now, day1) = (record.Messages[0], record.Messages[1]);

        // A dispatcher claims day1 first: the whole transaction is refused and nothing of it is written.
        Assert.NotNull(await store.TryReplaceMessageAsync(treatment.ClinicId, treatment.TreatmentId, day1.Value with { Status = MessageStatus.Sending }, day1.ETag, None));
        var stale = await store.TryReplaceAllAsync(
            new(treatment with { Status = TreatmentStatus.Cancelled }, record.Treatment.ETag),
            [new(now.Value with { Body = string.Empty }, now.ETag), new(day1.Value with { Body = string.Empty }, day1.ETag)],
            None);
        Assert.False(stale);
        var unchanged = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        Assert.Equal(treatment, unchanged.Treatment.Value);
        Assert.Equal(now.Value, unchanged.Messages[0].Value);

        // With the current ETags it commits.
        var erased = treatment with { Client = treatment.Client.Erased(), ErasedAt = Instant.FromUtc(2026, 4, 1, 0, 0), ErasureReason = "asked" };
        Assert.True(await store.TryReplaceAllAsync(
            new(erased, unchanged.Treatment.ETag), [new(now.Value with { Body = string.Empty }, unchanged.Messages[0].ETag)], None));
        var after = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        Assert.Equal(erased, after.Treatment.Value);
        Assert.Equal(string.Empty, after.Messages[0].Value.Body);
        Assert.Equal(MessageStatus.Sending, after.Messages[1].Value.Status);
    }

    [Fact]
    public async Task An_erased_treatment_stores_no_name_phone_or_text_columns_and_reads_back()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var store = new TableTreatmentStore(tables);
        var treatment = TreatmentSamples.Treatment();
        var erased = treatment with { Client = treatment.Client.Erased(), ErasedAt = Instant.FromUtc(2026, 4, 1, 0, 0), ErasureReason = "asked" };
        await store.TryCreateAsync(erased, [TreatmentSamples.Message(0, "now") with { Body = string.Empty, Status = MessageStatus.Cancelled }], None);

        var rows = await tables.Treatments.QueryAsync().ToListAsync();
        var treatmentRow = rows.Single(r => r.RowKey == "treatment");
        Assert.False(treatmentRow.ContainsKey("ClientFirstName"));
        Assert.False(treatmentRow.ContainsKey("ClientPhone"));
        Assert.False(rows.Single(r => r.RowKey != "treatment").ContainsKey("Body"));
        var record = (await store.FindAsync(treatment.ClinicId, treatment.TreatmentId, None))!;
        Assert.Equal(erased, record.Treatment.Value);
        Assert.Equal(("", ""), (record.Treatment.Value.Client.FirstName, record.Treatment.Value.Client.Phone));
        Assert.Equal(string.Empty, record.Messages.Single().Value.Body);
    }
}
