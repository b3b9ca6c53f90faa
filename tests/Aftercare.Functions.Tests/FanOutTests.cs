using System.Net;
using Aftercare.FunctionsHost;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The dispatch fan-out as Azure runs it: the timer's <c>[QueueOutput]</c> work items reach the storage queue, the
/// host's queue listener hands each to <c>DrainDispatchShard</c>, and the shards' drains send every due text once.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class FanOutTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_timer_tick_reaches_every_shard_through_the_queue_and_each_due_text_goes_once()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15), drainFromQueue: true);
        await host.ClearDispatchQueueAsync();
        var clinic = await Clinics.CreateAsync(host, timeZone: "Europe/London");
        const int Clients = 24;
        for (var i = 0; i < Clients; i++)
        {
            var body = Registrations.Body($"fan-{i}", TreatedAt, phone: "+4474009" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
            using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var settledBefore = host.QueueInvocations.Count;
        await host.InvokeFanOutAsync();

        // Every shard's work item is taken from the queue and drained (16 by default), then the welcome texts are out.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (Drains(host, settledBefore).Count < Core.Delivery.DispatchShards.DefaultCount || Creates(host) < Clients)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Drains(host, settledBefore).Count} drains and {Creates(host)} sends after two minutes");
            await Task.Delay(50);
        }

        var drains = Drains(host, settledBefore);
        Assert.All(drains, outcome => Assert.Equal(QueueMessageResult.Succeeded, outcome.Result));
        Assert.Equal(Core.Delivery.DispatchShards.DefaultCount, drains.Count);
        Assert.Equal(Clients, Creates(host));
        Assert.Empty(host.Twilio.RequestViolations);
        for (var i = 0; i < Clients; i++)
        {
            using var timeline = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/fan-{i}", clinic.Secret);
            Assert.Equal("sent", Registrations.Status(await timeline.ReadJsonAsync(), "welcome-redness"));
        }

        // A second tick finds nothing due: sixteen more drains, no more texts.
        await host.InvokeFanOutAsync();
        while (Drains(host, settledBefore).Count < 2 * Core.Delivery.DispatchShards.DefaultCount)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second tick's drains did not finish");
            await Task.Delay(50);
        }

        Assert.Equal(Clients, Creates(host));
    }

    private static List<QueueInvocationOutcome> Drains(AftercareApp host, int since) =>
        [.. host.QueueInvocations.Skip(since).Where(o => o.FunctionName == Functions.DrainShardFunction.Name)];

    private static int Creates(AftercareApp host) =>
        host.Twilio.Requests.Count(r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal));
}
