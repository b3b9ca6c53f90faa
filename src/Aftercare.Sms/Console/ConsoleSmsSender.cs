using System.Security.Cryptography;
using Aftercare.Core.Messaging;
using Aftercare.Core.Privacy;
using NodaTime;

namespace Aftercare.Sms.Console;

/// <summary>
/// Prints texts instead of sending them, for local runs without Twilio: the developer sees every word, the number is
/// masked. It remembers what it printed so the in-doubt check (<see cref="FindSentAsync"/>) behaves as with Twilio.
/// </summary>
public sealed class ConsoleSmsSender : ISmsSender
{
    /// <summary>Enough for any in-doubt check of a local run; older texts are forgotten so memory stays flat.</summary>
    private const int MaxRemembered = 10_000;

    private readonly TextWriter _writer;
    private readonly TimeProvider _timeProvider;
    private readonly List<SentSms> _sent = [];
    private readonly Lock _gate = new();

    public ConsoleSmsSender(TextWriter? writer = null, TimeProvider? timeProvider = null)
    {
        _writer = writer ?? System.Console.Out;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var id = "CONSOLE" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = Instant.FromDateTimeOffset(_timeProvider.GetUtcNow());
        var block = string.Join(
            Environment.NewLine,
            "┌─ SMS (console, not sent) " + id,
            "│ to:   " + PhoneMask.Mask(request.To),
            "│ from: " + (request.FromPhone ?? request.MessagingServiceSid),
            "│ at:   " + now,
            "│ " + request.Body.ReplaceLineEndings(Environment.NewLine + "│ "),
            "└─",
            string.Empty);
        lock (_gate)
        {
            _writer.Write(block);
            _writer.Flush();
            _sent.Add(new SentSms(id, request.To, request.Body, "sent", now));
            if (_sent.Count > MaxRemembered)
            {
                _sent.RemoveRange(0, _sent.Count - MaxRemembered);
            }
        }

        return Task.FromResult(SmsSendResult.Accepted(id, "sent"));
    }

    public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<SentSms> found = _sent.Where(s => s.To == recipient && s.CreatedAt >= since).ToList();
            return Task.FromResult(found);
        }
    }
}
