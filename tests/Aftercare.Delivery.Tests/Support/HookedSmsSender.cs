using Aftercare.Core.Messaging;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real sender, with something a test wants to happen right after a given send has reached Twilio (such as the
/// storage going away before the dispatcher can record it).
/// </summary>
public sealed class HookedSmsSender(ISmsSender inner, int afterSendNumber, Func<Task> hook) : ISmsSender
{
    private int _sends;

    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        var result = await inner.SendAsync(request, cancellationToken);
        if (Interlocked.Increment(ref _sends) == afterSendNumber)
        {
            await hook();
        }

        return result;
    }

    public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken) =>
        inner.FindSentAsync(recipient, since, cancellationToken);
}
