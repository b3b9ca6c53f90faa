namespace Aftercare.FunctionsHost.Grpc;

/// <summary>The worker's event stream ended while the host was waiting for an answer on it.</summary>
public sealed class WorkerChannelClosedException : Exception
{
    public WorkerChannelClosedException()
        : this("The worker's event stream ended.")
    {
    }

    public WorkerChannelClosedException(string message)
        : base(message)
    {
    }

    public WorkerChannelClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
