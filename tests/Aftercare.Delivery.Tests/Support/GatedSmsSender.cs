using Aftercare.Core.Messaging;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real sender behind a gate: every send waits at it until the test opens it, so a test can see what the dispatcher
/// does while sends are in flight. Counts the sends in flight now and the most ever in flight at once.
/// </summary>
public sealed class GatedSmsSender(ISmsSender inner) : ISmsSender
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _mostInFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MostInFlight => Volatile.Read(ref _mostInFlight);

    /// <summary>Lets every waiting and later send through.</summary>
    public void Open() => _open.TrySetResult();

    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        for (var most = MostInFlight; now > most; most = MostInFlight)
        {
            Interlocked.CompareExchange(ref _mostInFlight, now, most);
        }

        try
        {
            await _open.Task.WaitAsync(cancellationToken);
            return await inner.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken) =>
        inner.FindSentAsync(recipient, since, cancellationToken);
}
