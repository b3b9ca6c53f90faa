using System.Collections.Concurrent;
using System.Globalization;
using Aftercare.Core.Messaging;
using NodaTime;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>An SMS port that accepts every text and keeps exactly what it was handed, in order.</summary>
public sealed class RecordingSmsSender(TimeProvider time) : ISmsSender
{
    private readonly ConcurrentQueue<(SmsRequest Request, SentSms Sent)> _sent = new();
    private int _next;

    public IReadOnlyList<SmsRequest> Requests => [.. _sent.Select(s => s.Request)];

    public Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        var sid = "SM" + Interlocked.Increment(ref _next).ToString("D32", CultureInfo.InvariantCulture);
        _sent.Enqueue((request, new SentSms(sid, request.To, request.Body, "queued", Instant.FromDateTimeOffset(time.GetUtcNow()))));
        return Task.FromResult(SmsSendResult.Accepted(sid, "queued"));
    }

    public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SentSms>>([.. _sent.Select(s => s.Sent).Where(s => s.To == recipient && s.CreatedAt >= since)]);
}
