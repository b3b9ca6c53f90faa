using Aftercare.Core.Messaging;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>The real sender, except that an in-doubt look-up at Twilio waits for the other dispatchers' look-ups.</summary>
public sealed class RendezvousAtLookupSender(ISmsSender inner, Rendezvous rendezvous) : ISmsSender
{
    public Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken) =>
        inner.SendAsync(request, cancellationToken);

    public async Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken)
    {
        await rendezvous.ArriveAsync(cancellationToken);
        return await inner.FindSentAsync(recipient, since, cancellationToken);
    }
}
