using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Aftercare.Storage.Tests.Tables;

[Collection(AzuriteGroup.Name)]
public sealed class TransactionRulesTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_transaction_across_partitions_is_refused_before_any_request_though_Azurite_would_commit_it()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        TableTransactionAction[] acrossPartitions =
        [
            new(TableTransactionActionType.Add, new TableEntity("p1", "r1")),
            new(TableTransactionActionType.Add, new TableEntity("p2", "r2")),
        ];
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(acrossPartitions));
        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAllAsync([new TableEntity("p1", "r1"), new TableEntity("p2", "r2")]));

        Assert.Equal(before, roundTrips.Total);
        Assert.Empty(await table.QueryAsync().ToListAsync());

        // Azure answers 400 to this; Azurite commits it.
        await azurite.Unguarded(table).SubmitTransactionAsync(acrossPartitions);
        Assert.Equal(["p1", "p2"], (await table.QueryAsync().ToListAsync()).Select(e => e.PartitionKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task More_than_a_hundred_actions_are_refused_and_a_hundred_commit_in_one_round_trip()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(Upserts(TransactionRules.MaxActions + 1)));
        Assert.Equal(before, roundTrips.Total);

        using var scope = roundTrips.BeginScope();
        await table.SubmitAsync(Upserts(TransactionRules.MaxActions));

        Assert.Equal(1, scope.Calls);
        Assert.Equal(TransactionRules.MaxActions, await table.QueryAsync().CountAsync());
    }

    [Fact]
    public async Task An_entity_twice_in_one_transaction_is_refused_before_any_request()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(
            [new(TableTransactionActionType.Add, new TableEntity("p", "r")), new(TableTransactionActionType.Delete, new TableEntity("p", "r"), ETag.All)]));

        Assert.Equal(before, roundTrips.Total);
    }

    [Fact]
    public async Task An_entity_Azure_would_refuse_fails_the_transaction_before_any_request()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<ArgumentException>(() => table.TryAddAllAsync(
            [new TableEntity("p", "a"), new TableEntity("p", "b") { ["At"] = new DateTimeOffset(1600, 1, 1, 0, 0, 0, TimeSpan.Zero) }]));

        Assert.Equal(before, roundTrips.Total);
        Assert.Empty(await table.QueryAsync().ToListAsync());
    }

    [Fact]
    public async Task A_payload_over_4_MiB_is_refused_before_any_request()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);

        // 100 entities of 2 × 24,000 ASCII chars: each within every entity rule, together about 4.8 MB of JSON.
        var actions = Enumerable.Range(0, TransactionRules.MaxActions)
            .Select(i => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new TableEntity("p", $"r{i:D3}") { ["A"] = new string('a', 24_000), ["B"] = new string('b', 24_000) }))
            .ToList();
        var before = roundTrips.Total;

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitAsync(actions));

        Assert.Contains("4 MiB", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, roundTrips.Total);
        await table.SubmitAsync(actions[..80]);
    }

    [Fact]
    public async Task The_payload_estimate_is_never_below_what_the_SDK_sends_and_stays_close_to_it()
    {
        var recorder = new BatchBodyRecorder();
        var options = new TableClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient(AzuriteFixture.UniqueTableName());
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p k'é", "existing"));

        TableTransactionAction[][] shapes =
        [
            [new(TableTransactionActionType.Add, new TableEntity("p k'é", "ascii") { ["Body"] = "Hi Ana, keep your skin clean. Reply STOP to opt out." })],
            [new(TableTransactionActionType.UpsertReplace, new TableEntity("p k'é", "中文 😀 <&>'+") { ["Body"] = "Hola 😀 中文 <b>&amp;</b> \"q\" \\ \u0001", ["Name"] = "Zoë" })],
            [
                new(TableTransactionActionType.UpsertMerge, new TableEntity("p k'é", "types")
                {
                    ["Flag"] = true, ["Int"] = int.MinValue, ["Long"] = long.MinValue, ["Double"] = -1.234567890123456E-300,
                    ["Id"] = Guid.NewGuid(), ["At"] = DateTimeOffset.MaxValue, ["Bytes"] = new byte[1000], ["Data"] = new BinaryData(new byte[7]),
                }),
                new(TableTransactionActionType.UpdateReplace, new TableEntity("p k'é", "existing") { ["V"] = 2 }, ETag.All),
            ],
            [new(TableTransactionActionType.Delete, new TableEntity("p k'é", "existing"), ETag.All)],
            [.. Enumerable.Range(0, 100).Select(i => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace, new TableEntity("p k'é", $"ünï {i:D3}") { ["T"] = new string('ü', 3000) }))],
        ];

        foreach (var actions in shapes)
        {
            await table.SubmitTransactionAsync(actions);
            var sent = recorder.LastBatchBytes;
            var estimate = TransactionPayload.Estimate(actions, table.Uri);

            Assert.InRange(estimate, sent, sent + 512 + (1100L * actions.Length));
        }
    }

    [Fact]
    public async Task An_empty_transaction_is_refused_by_the_SDK_itself_before_any_request()
    {
        var roundTrips = new TableRoundTrips();
        var table = await azurite.CreateTableAsync(roundTrips);
        var before = roundTrips.Total;

        await Assert.ThrowsAsync<InvalidOperationException>(() => table.SubmitAsync([]));

        Assert.Equal(before, roundTrips.Total);
    }

    private static List<TableTransactionAction> Upserts(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"r{i:D3}") { ["I"] = i }))];

    /// <summary>Measures the body of each $batch request as the SDK wrote it.</summary>
    private sealed class BatchBodyRecorder : HttpPipelinePolicy
    {
        public long LastBatchBytes { get; private set; }

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && message.Request.Content is { } content)
            {
                using var body = new MemoryStream();
                await content.WriteToAsync(body, message.CancellationToken);
                LastBatchBytes = body.Length;
            }

            await ProcessNextAsync(message, pipeline);
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
    }
}
