using System.Net;
using System.Text.RegularExpressions;
using Aftercare.FunctionsHost.TestWorker.Functions;

namespace Aftercare.FunctionsHost.Tests;

public sealed partial class QueueTriggerTests
{
    [Fact]
    public async Task A_message_is_delivered_with_its_trigger_metadata_then_deleted_and_the_return_value_is_queued()
    {
        await using var host = await QueueHost.StartAsync();
        var work = await host.Azurite.QueueAsync("work");

        var sent = await work.SendMessageAsync("hello");
        var outcomes = await host.SettledAsync(sent.Value.MessageId, QueueMessageResult.Succeeded);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(("Work", "work", 1L), (outcome.FunctionName, outcome.QueueName, outcome.DequeueCount));
        var delivery = Assert.Single(host.WorkDeliveries("hello"));
        Assert.Contains($"dequeueCount=1 id={sent.Value.MessageId} queueTrigger=hello popReceipt=", delivery, StringComparison.Ordinal);
        Assert.Matches(@"insertionTime=\S*\d{4}-\d\d-\d\dT\S+ expirationTime=\S*\d{4}-\d\d-\d\dT\S+ nextVisibleTime=\S*\d{4}-\d\d-\d\dT\S+\z", delivery);
        Assert.Equal(["done:hello"], await host.Azurite.PeekAsync("work-done"));
        Assert.Equal(0, await host.Azurite.CountAsync("work"));
        Assert.Contains(host.Launched.HostLogs.Lines, l => l.Contains($"Queue message {sent.Value.MessageId} for 'Functions.Work' (DequeueCount=1, Id={outcome.InvocationId}): Succeeded", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Launched.HostLogs.Lines, l => l.StartsWith("Host", StringComparison.Ordinal) && l.Contains("hello", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_timer_s_return_value_is_queued_one_message_per_element()
    {
        await using var host = await QueueHost.StartAsync(new Dictionary<string, string?> { ["AzureWebJobs.Work.Disabled"] = "true" });

        var run = await host.Host.InvokeAsync("FanOut");

        Assert.True(run.Succeeded, run.ErrorMessage);
        Assert.Equal(["fan-1", "fan-2", "fan-3"], await host.Azurite.PeekAsync("work"));
    }

    [Fact]
    public async Task A_timer_firing_on_its_schedule_queues_its_return_value_which_the_queue_function_then_drains()
    {
        await using var host = await QueueHost.StartAsync(new Dictionary<string, string?> { ["FanOutSchedule"] = "0 0 0 1 1 *" });
        var run = await host.Host.InvokeAsync("FanOut");
        Assert.True(run.Succeeded, run.ErrorMessage);

        await Eventually.TrueAsync(() => host.Host.QueueInvocations.Count(o => o.Result == QueueMessageResult.Succeeded) == 3, "three fan-out messages handled");

        Assert.Equal(["done:fan-1", "done:fan-2", "done:fan-3"], (await host.Azurite.PeekAsync("work-done")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_http_function_s_named_queue_output_reaches_a_poco_queue_trigger_on_another_connection_setting()
    {
        await using var host = await QueueHost.StartAsync();

        using var response = await host.Launched.Http.PostAsync("api/orders/pen/3", content: null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var received = await Eventually.GetAsync(
            () => host.Host.Logs.FirstOrDefault(l => l.Message.StartsWith(QueueFunctions.OrderMarker, StringComparison.Ordinal)),
            "the order to be received");
        Assert.Equal($"{QueueFunctions.OrderMarker} item=pen quantity=3", received.Message);
        await Eventually.TrueAsync(() => host.Host.QueueInvocations.Any(o => o.FunctionName == "Order" && o.Result == QueueMessageResult.Succeeded), "the order message to be deleted");
    }

    [Fact]
    public async Task A_failing_message_is_retried_with_a_growing_dequeue_count_then_moved_to_the_poison_queue_after_host_json_s_max_dequeue_count()
    {
        await using var host = await QueueHost.StartAsync();
        var work = await host.Azurite.QueueAsync("work");

        var sent = await work.SendMessageAsync("fail-always");
        var outcomes = await host.SettledAsync(sent.Value.MessageId, QueueMessageResult.Poisoned);

        Assert.Equal(
            [(1L, QueueMessageResult.Retried), (2L, QueueMessageResult.Retried), (3L, QueueMessageResult.Poisoned)],
            outcomes.Select(o => (o.DequeueCount, o.Result)));
        Assert.Equal(["1", "2", "3"], host.WorkDeliveries("fail-always").Select(d => DequeueCount().Match(d).Groups[1].Value));
        Assert.Equal(["fail-always"], await host.Azurite.PeekAsync("work-poison"));
        Assert.Equal(0, await host.Azurite.CountAsync("work"));
        Assert.Equal(0, await host.Azurite.CountAsync("work-done"));
    }

    [Fact]
    public async Task An_app_setting_overrides_host_json_s_queue_settings()
    {
        await using var host = await QueueHost.StartAsync(new Dictionary<string, string?> { ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "1" });
        var work = await host.Azurite.QueueAsync("work");

        var sent = await work.SendMessageAsync("fail-once");
        var outcomes = await host.SettledAsync(sent.Value.MessageId, QueueMessageResult.Poisoned);

        Assert.Equal([(1L, QueueMessageResult.Poisoned)], outcomes.Select(o => (o.DequeueCount, o.Result)));
        Assert.Equal(["fail-once"], await host.Azurite.PeekAsync("work-poison"));
        Assert.Contains(host.Launched.HostLogs.Lines, l => l.Contains("on queue 'work' started (batchSize 16, newBatchThreshold ", StringComparison.Ordinal) && l.Contains("maxDequeueCount 1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Message_encoding_none_reads_and_writes_plain_text_messages()
    {
        await using var host = await QueueHost.StartAsync(new Dictionary<string, string?> { ["AzureFunctionsJobHost__extensions__queues__messageEncoding"] = "none" });
        var work = await host.Azurite.QueueAsync("work", Azure.Storage.Queues.QueueMessageEncoding.None);

        var sent = await work.SendMessageAsync("plain");
        await host.SettledAsync(sent.Value.MessageId, QueueMessageResult.Succeeded);

        Assert.Equal(["done:plain"], await host.Azurite.PeekAsync("work-done", Azure.Storage.Queues.QueueMessageEncoding.None));
    }

    [Fact]
    public async Task Batch_size_and_new_batch_threshold_bound_how_many_messages_run_at_once()
    {
        await using var host = await QueueHost.StartAsync(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost__extensions__queues__batchSize"] = "2",
            ["AzureFunctionsJobHost__extensions__queues__newBatchThreshold"] = "0",
        });
        var work = await host.Azurite.QueueAsync("work");

        for (var i = 0; i < 6; i++)
        {
            await work.SendMessageAsync($"slow:1000:{i}");
        }

        await Eventually.TrueAsync(() => host.Host.QueueInvocations.Count(o => o.Result == QueueMessageResult.Succeeded) == 6, "six slow messages handled");

        var inFlight = host.Host.Logs
            .Where(l => l.Message.StartsWith(QueueFunctions.Received + " text=slow:", StringComparison.Ordinal))
            .Select(l => int.Parse(InFlight().Match(l.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(6, inFlight.Count);
        Assert.Equal(2, inFlight.Max());
    }

    [Fact]
    public async Task A_message_whose_invocation_outlasts_its_lease_is_kept_invisible_and_delivered_once()
    {
        await using var host = await QueueHost.StartAsync(queueMessageLease: TimeSpan.FromSeconds(2));
        var work = await host.Azurite.QueueAsync("work");

        var sent = await work.SendMessageAsync("slow:5000");
        var outcomes = await host.SettledAsync(sent.Value.MessageId, QueueMessageResult.Succeeded);

        Assert.Equal([(1L, QueueMessageResult.Succeeded)], outcomes.Select(o => (o.DequeueCount, o.Result)));
        Assert.Single(host.WorkDeliveries("slow:5000"));
        Assert.Equal(["done:slow:5000"], await host.Azurite.PeekAsync("work-done"));
    }

    [Fact]
    public async Task A_message_whose_worker_is_killed_mid_invocation_is_delivered_again_to_the_next_worker()
    {
        await using var host = await QueueHost.StartAsync(queueMessageLease: TimeSpan.FromSeconds(3));
        var work = await host.Azurite.QueueAsync("work");
        var sent = await work.SendMessageAsync("hang-then-succeed");
        await Eventually.TrueAsync(() => host.WorkDeliveries("hang-then-succeed").Count == 1, "the first delivery to start");
        var firstWorker = host.Host.WorkerProcessId ?? throw new InvalidOperationException("No worker process.");

        Processes.Signal(firstWorker, "KILL");
        var outcomes = await host.SettledAsync(sent.Value.MessageId, QueueMessageResult.Succeeded);

        Assert.Equal([(1L, QueueMessageResult.Retried), (2L, QueueMessageResult.Succeeded)], outcomes.Select(o => (o.DequeueCount, o.Result)));
        Assert.NotEqual(firstWorker, host.Host.WorkerProcessId);
        Assert.Equal(["done:hang-then-succeed"], await host.Azurite.PeekAsync("work-done"));
    }

    [Fact]
    public async Task A_disabled_queue_function_is_not_listened_to_but_runs_on_demand_with_its_input_as_the_message()
    {
        await using var host = await QueueHost.StartAsync(new Dictionary<string, string?> { ["AzureWebJobs.Work.Disabled"] = "1" });
        var work = await host.Azurite.QueueAsync("work");
        await work.SendMessageAsync("left-alone");

        var run = await host.Host.InvokeAsync("Work", "by-hand");

        Assert.True(run.Succeeded, run.ErrorMessage);
        Assert.Single(host.WorkDeliveries("by-hand"));
        Assert.Equal(["done:by-hand"], await host.Azurite.PeekAsync("work-done"));
        Assert.Equal(["left-alone"], await host.Azurite.PeekAsync("work"));
        Assert.Empty(host.Host.QueueInvocations);
        Assert.Contains(host.Launched.HostLogs.Lines, l => l.Contains("Function 'Work' is disabled: its queue is not listened to.", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Launched.HostLogs.Lines, l => l.Contains("Queue listener for 'Functions.Work'", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"dequeueCount=(\d+) ")]
    private static partial Regex DequeueCount();

    [GeneratedRegex(@"inFlight=(\d+) ")]
    private static partial Regex InFlight();
}
