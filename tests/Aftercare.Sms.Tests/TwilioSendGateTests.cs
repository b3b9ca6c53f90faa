using System.Collections.Concurrent;
using System.Diagnostics;
using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// The per-process send gate, through the real SDK client and handler against a loopback Twilio: the ceiling on
/// creates per second (counted from the stand-in's own arrival timestamps), the shared pause after a 429 (on a fake
/// clock, so nothing depends on how fast the machine is) and what a send cancelled at the gate reports.
/// </summary>
public sealed class TwilioSendGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Concurrent_sends_never_exceed_the_ceiling_in_any_second()
    {
        const int Ceiling = 5;
        var arrivals = new ConcurrentQueue<long>();
        await using var twilio = await LocalTwilio.StartAsync(c =>
        {
            arrivals.Enqueue(Stopwatch.GetTimestamp());
            return CreatedAsync(c);
        });
        var sender = TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri, o => o.MaxSendsPerSecond = Ceiling));

        var results = await Task.WhenAll(Enumerable.Range(0, 6 * Ceiling).Select(_ => Task.Run(() => sender.SendAsync(Request(), CancellationToken.None))));

        Assert.All(results, result => Assert.Equal(SmsOutcome.Accepted, result.Outcome));
        var times = arrivals.Order().ToArray();
        var busiestSecond = times.Max(start => times.Count(t => t >= start && t < start + Stopwatch.Frequency));

        // Without the gate all 30 arrive within one second. The limiter's window moves in tenths of a second, so a
        // second that straddles two windows may see a little more than the ceiling: twice it is the generous bound.
        Assert.InRange(busiestSecond, 1, 2 * Ceiling);
    }

    [Fact]
    public async Task A_429_pauses_every_other_send_until_its_retry_after_has_passed_and_lowers_the_ceiling()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var answered = 0;
        await using var twilio = await LocalTwilio.StartAsync(c => Interlocked.Increment(ref answered) == 1 ? RateLimitedAsync(c, seconds: 30) : CreatedAsync(c));
        var options = TestTwilio.Options(twilio.BaseUri, o => o.MaxSendsPerSecond = 20);
        using var gate = new TwilioSendGate(options.MaxSendsPerSecond, clock);
        var sender = new TwilioSmsSender(TwilioRestClientFactory.Create(options, clock, sendGate: gate), options, new CapturingLogger<TwilioSmsSender>());

        // Retry-After 30 s is beyond the test's RetryMaxDelay (5 s): the first send gives up at once, nothing created.
        var first = await sender.SendAsync(Request(), CancellationToken.None);
        Assert.Equal(SmsOutcome.RetryLater, first.Outcome);
        Assert.True(gate.IsPaused);
        Assert.Equal(10, gate.Ceiling);

        var others = Enumerable.Range(0, 3).Select(_ => Task.Run(() => sender.SendAsync(Request(), CancellationToken.None))).ToArray();
        await Until(() => gate.Waiting == 3);
        Assert.Single(twilio.Requests);
        Assert.All(others, send => Assert.False(send.IsCompleted));

        clock.Advance(TimeSpan.FromSeconds(30));

        var results = await Task.WhenAll(others).WaitAsync(Deadline);
        Assert.All(results, result => Assert.Equal(SmsOutcome.Accepted, result.Outcome));
        Assert.Equal(4, twilio.Requests.Count);
        Assert.False(gate.IsPaused);
        Assert.InRange(gate.Ceiling, 11, 20);
    }

    [Fact]
    public async Task A_send_cancelled_while_waiting_at_the_gate_reports_nothing_sent()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var twilio = await LocalTwilio.StartAsync(c => CreatedAsync(c));
        var options = TestTwilio.Options(twilio.BaseUri);
        using var gate = new TwilioSendGate(options.MaxSendsPerSecond, clock);
        var sender = new TwilioSmsSender(TwilioRestClientFactory.Create(options, clock, sendGate: gate), options, new CapturingLogger<TwilioSmsSender>());
        gate.RateLimited(TimeSpan.FromMinutes(1));
        using var deadline = new CancellationTokenSource();

        var send = sender.SendAsync(Request(), deadline.Token);
        await Until(() => gate.Waiting == 1);
        await deadline.CancelAsync();

        var result = await send.WaitAsync(Deadline);
        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
        Assert.Contains("nothing was sent", result.Detail, StringComparison.Ordinal);
        Assert.Empty(twilio.Requests);
        Assert.Equal(0, gate.Waiting);
    }

    private static SmsRequest Request() => new(TestTwilio.NewRecipient(), TestTwilio.SenderPhone, null, "Hello", null);

    private static Task CreatedAsync(HttpContext context)
    {
        context.Response.StatusCode = 201;
        return context.Response.WriteAsJsonAsync(new { sid = "SM" + Guid.NewGuid().ToString("N"), status = "queued" });
    }

    private static Task RateLimitedAsync(HttpContext context, int seconds)
    {
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return LocalTwilio.ErrorAsync(context, 429, 20429, "Too Many Requests");
    }

    private static async Task Until(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
