namespace Aftercare.Delivery.Tests.Support;

/// <summary>Holds each caller until all the expected ones have arrived, so a race a test needs happens every run.</summary>
public sealed class Rendezvous(int parties)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public async Task ArriveAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _arrived) == parties)
        {
            _all.SetResult();
        }

        await _all.Task.WaitAsync(Patience, cancellationToken);
    }
}
