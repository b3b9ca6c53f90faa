using System.Net;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// What one Twilio SDK call and the <see cref="TwilioResilienceHandler"/> beneath it share. The SDK's methods take no
/// <see cref="CancellationToken"/> and its <c>ApiException</c> carries no response headers, so the caller starts a
/// call (an <see cref="AsyncLocal{T}"/> holds it for the async flow the SDK call runs in) and the handler reads the
/// caller's token from it and writes back what the responses proved.
/// </summary>
/// <remarks>
/// The holder is mutable on purpose: a value the handler assigned to the <see cref="AsyncLocal{T}"/> itself would not
/// flow back to the caller (execution context flows down, never up), but changes to the object it points at are seen.
/// </remarks>
internal sealed class TwilioCall : IDisposable
{
    private static readonly AsyncLocal<TwilioCall?> Ambient = new();

    private readonly TwilioCall? _outer;
    private int _attempts;
    private int _unproven;

    private TwilioCall(CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
        _outer = Ambient.Value;
        Ambient.Value = this;
    }

    /// <summary>The call in progress in this async flow, if a caller started one.</summary>
    public static TwilioCall? Current => Ambient.Value;

    /// <summary>The caller's token; the handler links it into every attempt and every wait between attempts.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>HTTP requests tried for this call (the first and every retry), answered or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>
    /// True while no request of this call can have created anything: none has left yet (a send still waiting at the
    /// <see cref="TwilioSendGate"/>), or each one that left was answered 429 or refused its connection.
    /// </summary>
    public bool NothingCreated => Volatile.Read(ref _unproven) == 0;

    /// <summary>The status of the last attempt's response; null when the last attempt got none (refused, reset, timed out).</summary>
    public HttpStatusCode? LastStatus { get; private set; }

    /// <summary>The Retry-After of the last response when it was a 429 (delta or date, relative to the handler's clock).</summary>
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>Starts a call in the current async flow; dispose it when the SDK call has returned or thrown.</summary>
    public static TwilioCall Start(CancellationToken cancellationToken) => new(cancellationToken);

    public void Dispose() => Ambient.Value = _outer;

    internal void Attempting()
    {
        Interlocked.Increment(ref _attempts);
        Interlocked.Increment(ref _unproven);
        LastStatus = null;
        RetryAfter = null;
    }

    internal void Answered(HttpStatusCode status, TimeSpan? retryAfter)
    {
        LastStatus = status;
        RetryAfter = status == HttpStatusCode.TooManyRequests ? retryAfter : null;
        if (status == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Decrement(ref _unproven);
        }
    }

    /// <summary>The attempt's connection was refused: its request never left.</summary>
    internal void Refused() => Interlocked.Decrement(ref _unproven);
}
