using Aftercare.FunctionsHost.Functions;
using Aftercare.FunctionsHost.Invocation;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// Runs one queue message through its function and settles it, as the WebJobs QueueProcessor does: a message already
/// dequeued more than <c>maxDequeueCount</c> times (its last invocation never finished) goes straight to the poison
/// queue; otherwise the function runs while the message's lease is renewed half-way through each
/// <see cref="FunctionsHostOptions.QueueMessageLease"/> (UpdateQueueMessageVisibilityCommand). Success (outputs written)
/// deletes the message; failure on the <c>maxDequeueCount</c>-th delivery copies it to <c>&lt;queue&gt;-poison</c>
/// (created if missing) and deletes it; any other failure makes it visible again after <c>visibilityTimeout</c>.
/// A message someone else took over (pop receipt mismatch) or that is gone is left alone, as the real processor does.
/// Never throws: other storage errors are logged and the message is left to reappear when its lease lapses.
/// </summary>
internal sealed class QueueMessageHandler(
    FunctionDescriptor function,
    QueueTriggerBinding trigger,
    QueueClient queue,
    QueueClient poisonQueue,
    QueuesOptions queues,
    FunctionInvoker invoker,
    FunctionsHostOptions options,
    QueueWatcher watcher,
    Action<QueueInvocationOutcome> completed,
    ILogger logger)
{
    public async Task HandleAsync(QueueMessage message)
    {
        await Task.Yield();
        try
        {
            if (message.DequeueCount > queues.MaxDequeueCount)
            {
                await PoisonAsync(message, message.PopReceipt);
                Report(message, QueueMessageResult.Poisoned, null);
                return;
            }

            using var lease = new LeaseRenewal(queue, message, options, logger);
            var result = await invoker.InvokeAsync(
                function.Name,
                f => QueueInvocation.Create(f, trigger, message),
                $"New queue message detected on '{queue.Name}'.",
                CancellationToken.None);
            var popReceipt = await lease.StopAsync();

            if (result.Succeeded)
            {
                await DeleteAsync(message, popReceipt);
                Report(message, QueueMessageResult.Succeeded, result.InvocationId);
            }
            else if (message.DequeueCount >= queues.MaxDequeueCount)
            {
                await PoisonAsync(message, popReceipt);
                Report(message, QueueMessageResult.Poisoned, result.InvocationId);
            }
            else
            {
                await ReleaseAsync(message, popReceipt);
                Report(message, QueueMessageResult.Retried, result.InvocationId);
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or ArgumentException)
        {
            // ArgumentException: the worker that came back after a restart no longer has this function.
            logger.LogError(
                "Queue message {MessageId} for 'Functions.{FunctionName}' (DequeueCount={DequeueCount}) was not settled ({Error}); it reappears when its lease lapses.",
                message.MessageId, function.Name, message.DequeueCount, ex is RequestFailedException failed ? $"HTTP {failed.Status} {failed.ErrorCode}" : ex.Message);
        }
    }

    private async Task PoisonAsync(QueueMessage message, string popReceipt)
    {
        await poisonQueue.CreateIfNotExistsAsync();
        await poisonQueue.SendMessageAsync(message.Body);
        watcher.Notify(poisonQueue.Name);
        await DeleteAsync(message, popReceipt);
    }

    // As QueueProcessor.DeleteMessageAsync and ReleaseMessageAsync: a message someone else took over (pop receipt
    // mismatch) or that is gone (message or queue not found) needs nothing more.
    private async Task DeleteAsync(QueueMessage message, string popReceipt)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, popReceipt);
        }
        catch (RequestFailedException ex) when (IsTakenOverOrGone(ex))
        {
            logger.LogDebug("Queue message {MessageId} was not deleted: {ErrorCode}.", message.MessageId, ex.ErrorCode);
        }
    }

    private async Task ReleaseAsync(QueueMessage message, string popReceipt)
    {
        try
        {
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: queues.VisibilityTimeout);
        }
        catch (RequestFailedException ex) when (IsTakenOverOrGone(ex))
        {
            logger.LogDebug("Queue message {MessageId} was not released: {ErrorCode}.", message.MessageId, ex.ErrorCode);
        }
    }

    private static bool IsTakenOverOrGone(RequestFailedException ex) =>
        ex.ErrorCode == QueueErrorCode.PopReceiptMismatch || ex.ErrorCode == QueueErrorCode.MessageNotFound || ex.ErrorCode == QueueErrorCode.QueueNotFound;

    private void Report(QueueMessage message, QueueMessageResult result, string? invocationId)
    {
        var level = result == QueueMessageResult.Succeeded ? LogLevel.Information : LogLevel.Warning;
        logger.Log(
            level,
            "Queue message {MessageId} for 'Functions.{FunctionName}' (DequeueCount={DequeueCount}, Id={InvocationId}): {Result}",
            message.MessageId, function.Name, message.DequeueCount, invocationId, result);
        completed(new QueueInvocationOutcome(function.Name, queue.Name, message.MessageId, message.DequeueCount, result, invocationId));
    }

    /// <summary>Keeps a message invisible while its invocation runs, renewing its lease half-way through each period.</summary>
    private sealed class LeaseRenewal : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private string _popReceipt;

        public LeaseRenewal(QueueClient queue, QueueMessage message, FunctionsHostOptions options, ILogger logger)
        {
            _popReceipt = message.PopReceipt;
            _renewing = RenewAsync(queue, message.MessageId, options, logger, _stop.Token);
        }

        /// <summary>Stops renewing and returns the latest pop receipt (each renewal issues a new one).</summary>
        public async Task<string> StopAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            return _popReceipt;
        }

        public void Dispose() => _stop.Dispose();

        private async Task RenewAsync(QueueClient queue, string messageId, FunctionsHostOptions options, ILogger logger, CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(options.QueueMessageLease / 2, options.TimeProvider, stop);

                    // Not cancelled with the invocation: a renewal cut off after storage applied it would leave a stale pop receipt.
                    UpdateReceipt receipt = await queue.UpdateMessageAsync(messageId, _popReceipt, visibilityTimeout: options.QueueMessageLease, cancellationToken: CancellationToken.None);
                    _popReceipt = receipt.PopReceipt;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The invocation ended.
            }
            catch (RequestFailedException ex)
            {
                logger.LogWarning("Queue message {MessageId}: its lease could not be renewed (HTTP {Status} {ErrorCode}).", messageId, ex.Status, ex.ErrorCode);
            }
        }
    }
}
