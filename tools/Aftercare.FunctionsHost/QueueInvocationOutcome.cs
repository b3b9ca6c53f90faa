namespace Aftercare.FunctionsHost;

/// <summary>What became of one queue message's invocation (never the message text, which may hold personal data).</summary>
/// <param name="FunctionName">The queue-triggered function.</param>
/// <param name="QueueName">The queue, with <c>%Setting%</c> references resolved.</param>
/// <param name="MessageId">The storage message id.</param>
/// <param name="DequeueCount">The message's dequeue count at this delivery (1 on the first).</param>
/// <param name="Result">What the host did with the message.</param>
/// <param name="InvocationId">The invocation's id, or null when the message was poisoned without an invocation.</param>
public sealed record QueueInvocationOutcome(
    string FunctionName, string QueueName, string MessageId, long DequeueCount, QueueMessageResult Result, string? InvocationId);

/// <summary>What the host did with a queue message after an invocation (the WebJobs QueueProcessor's choices).</summary>
public enum QueueMessageResult
{
    /// <summary>The function succeeded, its outputs were written, and the message was deleted.</summary>
    Succeeded,

    /// <summary>The function failed; the message becomes visible again after <c>visibilityTimeout</c>.</summary>
    Retried,

    /// <summary>
    /// The message was moved to <c>&lt;queue&gt;-poison</c>: it failed on its <c>maxDequeueCount</c>-th delivery, or it
    /// arrived with a dequeue count already above it (its last invocation never finished).
    /// </summary>
    Poisoned,
}
