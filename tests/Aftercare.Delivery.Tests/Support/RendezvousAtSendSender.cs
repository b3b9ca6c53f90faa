using Aftercare.Core.Messaging;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real sender, except that each send waits for the other dispatches' sends: every dispatch has read and claimed
/// before any text is sent or recorded.
/// </summary>
public sealed class RendezvousAtSendSender(ISmsSender inner, Rendezvous rendezvous) : ISmsSender
{
    public async Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        await rendezvous.ArriveAsync(cancellationToken);
        return await inner.SendAsync(request, cancellationToken);
    }

    public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken) =>
        inner.FindSentAsync(recipient, since, cancellationToken);
}
