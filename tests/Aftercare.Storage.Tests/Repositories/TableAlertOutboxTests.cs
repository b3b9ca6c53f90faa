using Aftercare.Core.Alerts;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.Storage.Tests.Repositories;

/// <summary>
/// What the alert outbox keeps about a client: the name, phone and reply text only while an alert is open, gone once it
/// settles and once its treatment is erased, even when a sweep claims the alert while the erasure runs.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class TableAlertOutboxTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 0, 30);
    private static readonly Duration Lookback = new AlertDeliveryOptions().Lookback;
    private static readonly string[] ClientColumns = ["FirstName", "Phone", "ReplyText"];

    [Fact]
    public async Task A_settled_alert_is_stored_without_the_clients_name_phone_and_reply_text_and_keeps_the_rest()
    {
        var tables = await azurite.CreateAftercareTablesAsync();
        var outbox = new TableAlertOutbox(tables);
        var alert = Reply("reply-SM1", "tr_1", Now);
        Assert.True(await outbox.AddAsync(alert, None));
        var stored = (await outbox.FindAsync(alert.Id, alert.CreatedAt, None))!;
        var open = await RowAsync(tables, alert);
        Assert.All(ClientColumns, column => Assert.True(open.ContainsKey(column), column));

        var delivered = stored.Value with
        {
            Alert = alert.WithoutClientData(),
            Status = AlertDeliveryStatus.Delivered,
            Attempts = 2,
            DeliveredAt = Now + Duration.FromMinutes(3),
        };
        Assert.NotNull(await outbox.TryReplaceAsync(delivered, stored.ETag, None));

        var row = await RowAsync(tables, alert);
        Assert.All(ClientColumns, column => Assert.False(row.ContainsKey(column), column));
        Assert.DoesNotContain(row.Select(p => p.Value).OfType<string>(), v => v.Contains("Maya", StringComparison.Ordinal) || v.Contains("+4479", StringComparison.Ordinal) || v.Contains("swollen", StringComparison.Ordinal));
        var read = (await outbox.FindAsync(alert.Id, alert.CreatedAt, None))!.Value;
        Assert.Equal(delivered with { Alert = read.Alert }, read);
        Assert.True(read.Alert.IsClientDataErased);
        Assert.Equal(AlertClient.Erased, read.Alert.Client);
        Assert.Equal(alert.Reply! with { Text = string.Empty, MatchedRules = read.Alert.Reply!.MatchedRules }, read.Alert.Reply);
        Assert.Equal(alert.Reply.MatchedRules, read.Alert.Reply.MatchedRules);
        Assert.Equal(alert with { Client = AlertClient.Erased, Reply = read.Alert.Reply }, read.Alert);
    }

    [Fact]
    public async Task Erasing_a_treatment_scrubs_its_alerts_in_the_look_back_days_and_nothing_else()
    {
        var roundTrips = new TableRoundTrips();
        var tables = await azurite.CreateAftercareTablesAsync(roundTrips);
        var outbox = new TableAlertOutbox(tables);
        var today = Reply("reply-SM1", "tr_1", Now);
        var yesterday = Failed("tr_1", "day-1", Now - Duration.FromHours(1)); // 23:30 UTC the day before: the previous partition.
        var settled = Reply("reply-SM2", "tr_1", Now - Duration.FromHours(5));
        var beyond = Failed("tr_1", "welcome", Now - Lookback - Duration.FromDays(1));
        var otherTreatment = Reply("reply-SM3", "tr_2", Now);
        var otherClinic = Reply("reply-SM4", "tr_1", Now) with { ClinicId = "cl_b" };
        foreach (var alert in new[] { today, yesterday, settled, beyond, otherTreatment, otherClinic })
        {
            await outbox.AddAsync(alert, None);
        }

        var found = (await outbox.FindAsync(settled.Id, settled.CreatedAt, None))!;
        await outbox.TryReplaceAsync(found.Value with { Alert = settled.WithoutClientData(), Status = AlertDeliveryStatus.Delivered }, found.ETag, None);
        Assert.NotEqual(AlertEntities.PartitionKey(today.CreatedAt), AlertEntities.PartitionKey(yesterday.CreatedAt));
        ClinicAlert[] others = [beyond, otherTreatment, otherClinic, settled];
        var etags = new List<Azure.ETag>();
        foreach (var alert in others)
        {
            etags.Add((await RowAsync(tables, alert)).ETag);
        }

        // One query over the look-back days, one replace per alert that still held client data.
        int erased;
        using (var scope = roundTrips.BeginScope())
        {
            erased = await outbox.EraseClientDataAsync("cl_a", "tr_1", Now, Lookback, None);
            Assert.Equal(3, scope.Calls);
        }

        Assert.Equal(2, erased);
        foreach (var alert in new[] { today, yesterday })
        {
            var row = await RowAsync(tables, alert);
            Assert.All(ClientColumns, column => Assert.False(row.ContainsKey(column), column));
            var read = (await outbox.FindAsync(alert.Id, alert.CreatedAt, None))!.Value;
            Assert.Equal(AlertDeliveryStatus.Pending, read.Status);
            Assert.Equal(alert.WithoutClientData() with { Reply = read.Alert.Reply }, read.Alert);
        }

        Assert.Equal("urgent", (await outbox.FindAsync(today.Id, today.CreatedAt, None))!.Value.Alert.Reply!.Triage);
        Assert.Equal(new AlertMessage("day-1", "failed", "21211"), (await outbox.FindAsync(yesterday.Id, yesterday.CreatedAt, None))!.Value.Alert.Message);
        for (var i = 0; i < others.Length; i++)
        {
            Assert.Equal(etags[i], (await RowAsync(tables, others[i])).ETag);
        }

        Assert.Equal("Maya", (await outbox.FindAsync(otherTreatment.Id, otherTreatment.CreatedAt, None))!.Value.Alert.Client.FirstName);

        // Again: the query only.
        using (var scope = roundTrips.BeginScope())
        {
            Assert.Equal(0, await outbox.EraseClientDataAsync("cl_a", "tr_1", Now, Lookback, None));
            Assert.Equal(1, scope.Calls);
        }
    }

    [Fact]
    public async Task A_sweep_that_claims_the_alert_between_the_erasures_query_and_its_write_does_not_bring_the_data_back()
    {
        var prefix = AzuriteFixture.UniquePrefix();
        var plain = new AftercareTables(new TableServiceClient(azurite.ConnectionString), prefix);
        await plain.EnsureCreatedAsync();
        var sweep = new TableAlertOutbox(plain);
        var alert = Reply("reply-SM1", "tr_1", Now);
        await sweep.AddAsync(alert, None);

        // The erasure's first write waits until a sweep has claimed the alert (a replace on the ETag the sweep listed).
        string? claimEtag = null;
        var claim = new BeforeFirstWrite(async () =>
        {
            var due = Assert.Single(await sweep.ListDueAsync(Now, Lookback, 10, None));
            var claimed = due.Value with { Status = AlertDeliveryStatus.Sending, Attempts = 1, NextAttemptAt = Now + Duration.FromMinutes(2) };
            claimEtag = await sweep.TryReplaceAsync(claimed, due.ETag, None);
        });
        var options = new TableClientOptions();
        options.AddPolicy(claim, HttpPipelinePosition.PerCall);
        var erasing = new TableAlertOutbox(new AftercareTables(new TableServiceClient(azurite.ConnectionString, options), prefix));

        Assert.Equal(1, await erasing.EraseClientDataAsync("cl_a", "tr_1", Now, Lookback, None));

        Assert.NotNull(claimEtag);
        var stored = (await sweep.FindAsync(alert.Id, alert.CreatedAt, None))!;
        Assert.Equal(AlertDeliveryStatus.Sending, stored.Value.Status); // The claim stands...
        Assert.Equal(1, stored.Value.Attempts);
        Assert.True(stored.Value.Alert.IsClientDataErased); // ...and so does the erasure.
        var row = await RowAsync(plain, alert);
        Assert.All(ClientColumns, column => Assert.False(row.ContainsKey(column), column));

        // The sweep's own next write, from the alert it holds in memory, can no longer put the data back.
        var retry = stored.Value with { Alert = alert, Status = AlertDeliveryStatus.Pending };
        Assert.Null(await sweep.TryReplaceAsync(retry, claimEtag!, None));
        Assert.True((await sweep.FindAsync(alert.Id, alert.CreatedAt, None))!.Value.Alert.IsClientDataErased);
    }

    private static async Task<TableEntity> RowAsync(AftercareTables tables, ClinicAlert alert) =>
        (await tables.Alerts.FindAsync(AlertEntities.PartitionKey(alert.CreatedAt), alert.Id))!;

    private static ClinicAlert Reply(string id, string treatmentId, Instant at) => new()
    {
        Id = id,
        Type = ClinicAlertType.ClientReplyUrgent,
        CreatedAt = at,
        ClinicId = "cl_a",
        Treatment = new AlertTreatment("ext-" + treatmentId, treatmentId),
        Client = new AlertClient("Maya", "+447911123456"),
        Reply = new AlertReply("my face is swollen", at, "urgent", ["en.swelling"]),
    };

    private static ClinicAlert Failed(string treatmentId, string stage, Instant at) => new()
    {
        Id = ClinicAlertIds.ForFailedMessage(treatmentId, stage),
        Type = ClinicAlertType.MessageFailed,
        CreatedAt = at,
        ClinicId = "cl_a",
        Treatment = new AlertTreatment("ext-" + treatmentId, treatmentId),
        Client = new AlertClient("Maya", "+447911123456"),
        Message = new AlertMessage(stage, "failed", "21211"),
    };

    /// <summary>Runs <paramref name="action"/> once, before the first write (PUT) this client sends.</summary>
    private sealed class BeforeFirstWrite(Func<Task> action) : HttpPipelinePolicy
    {
        private int _ran;

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method == RequestMethod.Put && Interlocked.Exchange(ref _ran, 1) == 0)
            {
                await action();
            }

            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The outbox calls the service asynchronously.");
    }
}
