using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// Polls one queue for one queue-triggered function, as the WebJobs queue extension's QueueListener does: while the
/// queue does not exist it checks again after each back-off pause (it does not create it; an output binding or a client
/// does), then takes up to <c>batchSize</c> messages at a time (each invisible for
/// <see cref="FunctionsHostOptions.QueueMessageLease"/>), hands each to <see cref="QueueMessageHandler"/> without
/// waiting, and fetches the next batch once no more than <c>newBatchThreshold</c> are still running. Polls that find
/// nothing back off from 100 ms to <c>maxPollingInterval</c>; a poll that finds messages resets the pause, and a message
/// this host adds to the queue ends the pause at once (<see cref="QueueWatcher"/>). A storage error is logged, makes the
/// listener check the queue's existence again, and is backed off like an empty poll. When stopped it stops polling and then waits for the messages it
/// took to finish.
/// </summary>
internal sealed class QueueListener(
    string functionName, QueueClient queue, QueuesOptions queues, QueueMessageHandler handler, QueueWatcher watcher, FunctionsHostOptions options, ILogger logger)
{
    private readonly List<Task> _running = [];
    private TaskCompletionSource _enqueued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = new PollingBackoff(QueuesOptions.MinimumPollingInterval, queues.MaxPollingInterval);
        logger.LogInformation(
            "Queue listener for 'Functions.{FunctionName}' on queue '{QueueName}' started (batchSize {BatchSize}, newBatchThreshold {NewBatchThreshold}, maxDequeueCount {MaxDequeueCount}).",
            functionName, queue.Name, queues.BatchSize, queues.NewBatchThreshold, queues.MaxDequeueCount);
        var queueExists = false;
        watcher.MessageEnqueued += OnMessageEnqueued;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await WaitForThresholdAsync(stopping);
                var enqueued = Interlocked.Exchange(ref _enqueued, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                TimeSpan pause;
                try
                {
                    queueExists = queueExists || await queue.ExistsAsync(stopping);
                    QueueMessage[] batch = queueExists ? await queue.ReceiveMessagesAsync(queues.BatchSize, options.QueueMessageLease, stopping) : [];
                    foreach (var message in batch)
                    {
                        Track(handler.HandleAsync(message));
                    }

                    pause = backoff.Next(foundMessages: batch.Length > 0);
                }
                catch (RequestFailedException ex)
                {
                    logger.LogError("Queue listener for 'Functions.{FunctionName}' could not read queue '{QueueName}' (HTTP {Status} {ErrorCode}); trying again.", functionName, queue.Name, ex.Status, ex.ErrorCode);
                    queueExists = false;
                    pause = backoff.Next(foundMessages: false);
                }

                if (pause > TimeSpan.Zero)
                {
                    await Task.WhenAny(Task.Delay(pause, options.TimeProvider, stopping), enqueued.Task);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: no more polls.
        }
        finally
        {
            watcher.MessageEnqueued -= OnMessageEnqueued;
        }
    }

    private void OnMessageEnqueued(string queueName)
    {
        if (string.Equals(queueName, queue.Name, StringComparison.Ordinal))
        {
            Volatile.Read(ref _enqueued).TrySetResult();
        }
    }

    /// <summary>Waits until every message this listener took has been handled.</summary>
    public Task DrainAsync()
    {
        lock (_running)
        {
            return Task.WhenAll(_running);
        }
    }

    private void Track(Task handling)
    {
        lock (_running)
        {
            _running.Add(handling);
        }

        _ = handling.ContinueWith(
            done =>
            {
                lock (_running)
                {
                    _running.Remove(done);
                }
            },
            TaskScheduler.Default);
    }

    private async Task WaitForThresholdAsync(CancellationToken stopping)
    {
        while (true)
        {
            Task[] running;
            lock (_running)
            {
                if (_running.Count <= queues.NewBatchThreshold)
                {
                    return;
                }

                running = [.. _running];
            }

            await Task.WhenAny(running).WaitAsync(stopping);
        }
    }
}
