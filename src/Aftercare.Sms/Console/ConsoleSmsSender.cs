using System.Security.Cryptography;
using Aftercare.Core.Messaging;
using Aftercare.Core.Privacy;
using NodaTime;

namespace Aftercare.Sms.Console;

/// <summary>
/// Prints texts instead of sending them, for runs without Twilio. Only a developer's machine
/// (<paramref name="printTexts"/>: the Development environment) sees every word, with the number masked; anywhere else
/// the console goes to Application Insights, so it prints a summary with no personal data (message id, clinic id,
/// stage, segments and the masked number). Each text is reported <see cref="SmsSendResult.Simulated"/>: it is recorded
/// as <c>simulated</c>, never <c>sent</c>. It remembers what it printed so the in-doubt check
/// (<see cref="FindSentAsync"/>) behaves as with Twilio.
/// </summary>
/// <param name="writer">Where texts are printed; default <see cref="System.Console.Out"/>.</param>
/// <param name="timeProvider">The clock for the printed time and <see cref="FindSentAsync"/>; default the system's.</param>
/// <param name="printTexts">True only in Development: print the whole text (names included); otherwise a masked summary.</param>
public sealed class ConsoleSmsSender(TextWriter? writer = null, TimeProvider? timeProvider = null, bool printTexts = false) : ISmsSender
{
    /// <summary>Enough for any in-doubt check of a local run; older texts are forgotten so memory stays flat.</summary>
    private const int MaxRemembered = 10_000;

    private readonly TextWriter _writer = writer ?? System.Console.Out;
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private readonly List<SentSms> _sent = [];
    private readonly Lock _gate = new();

    /// <summary>True when whole texts are printed (Development only); false for the masked summary.</summary>
    public bool PrintsTexts => printTexts;

    public Task<SmsSendResult> SendAsync(SmsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var id = "CONSOLE" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = Instant.FromDateTimeOffset(_timeProvider.GetUtcNow());
        var printed = printTexts ? WholeText(id, request, now) : Summary(id, request);
        lock (_gate)
        {
            _writer.Write(printed);
            _writer.Flush();
            _sent.Add(new SentSms(id, request.To, request.Body, SmsSendResult.SimulatedStatus, now));
            if (_sent.Count > MaxRemembered)
            {
                _sent.RemoveRange(0, _sent.Count - MaxRemembered);
            }
        }

        return Task.FromResult(SmsSendResult.Simulated(id));
    }

    public Task<IReadOnlyList<SentSms>> FindSentAsync(string recipient, Instant since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<SentSms> found = _sent.Where(s => s.To == recipient && s.CreatedAt >= since).ToList();
            return Task.FromResult(found);
        }
    }

    private static string WholeText(string id, SmsRequest request, Instant now) => string.Join(
        Environment.NewLine,
        "┌─ SMS (console, not sent) " + id,
        "│ to:   " + PhoneMask.Mask(request.To),
        "│ from: " + (request.FromPhone ?? request.MessagingServiceSid),
        "│ at:   " + now,
        "│ " + request.Body.ReplaceLineEndings(Environment.NewLine + "│ "),
        "└─",
        string.Empty);

    private static string Summary(string id, SmsRequest request)
    {
        var measure = SmsText.Measure(request.Body);
        return $"SMS (console, not sent) {id}: clinic {request.ClinicId ?? "-"}, stage {request.StageId ?? "-"}, " +
            $"{measure.Segments} segment(s) {measure.Encoding}, to {PhoneMask.Mask(request.To)}{Environment.NewLine}";
    }
}
