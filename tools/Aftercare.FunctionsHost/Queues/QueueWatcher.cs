namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// Tells this host's queue listeners that a message was just added to their queue (by an output binding or a move to
/// a poison queue), so they poll at once instead of finishing their back-off pause: the WebJobs SharedQueueWatcher
/// (IMessageEnqueuedWatcher.Notify). Like the real one it only knows about writes made by this host.
/// </summary>
internal sealed class QueueWatcher
{
    /// <summary>Raised with the queue's name after a message was added to it.</summary>
    public event Action<string>? MessageEnqueued;

    public void Notify(string queueName) => MessageEnqueued?.Invoke(queueName);
}
