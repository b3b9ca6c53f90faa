using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// The SDK takes no cancellation token; the caller's token still reaches the HTTP request and the waits between
/// attempts, through the call holder. Each test cancels only once its request has arrived, and the attempt timeout
/// is far longer than the test, so only the caller's token can end the call.
/// </summary>
public sealed class TwilioCancellationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_send_already_cancelled_sends_nothing()
    {
        await using var twilio = await TwilioStandIn.StartAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Sender(twilio.BaseUri).SendAsync(Request(), new CancellationToken(canceled: true)));

        Assert.Empty(twilio.CreateRequests);
    }

    [Fact]
    public async Task Cancelling_a_send_that_hangs_ends_it_at_once_as_cancelled()
    {
        await using var twilio = await TwilioStandIn.StartAsync();
        twilio.EnqueueFaults(TwilioStandInFault.HangAfterCreate);
        using var cancel = new CancellationTokenSource();

        var send = Sender(twilio.BaseUri).SendAsync(Request(), cancel.Token);
        await Until(() => twilio.CreateRequests.Count == 1);
        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.WaitAsync(Deadline));
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Single(twilio.CreateRequests);
    }

    [Fact]
    public async Task Cancelling_during_a_retry_after_wait_stops_the_retry_and_reports_nothing_sent()
    {
        await using var twilio = await LocalTwilio.StartAsync(c =>
        {
            c.Response.Headers.RetryAfter = "4";
            return LocalTwilio.ErrorAsync(c, 429, 20429, "Too Many Requests");
        });
        var options = TestTwilio.Options(twilio.BaseUri, o => o.RequestTimeout = TimeSpan.FromMinutes(10));
        using var gate = new TwilioSendGate(options.MaxSendsPerSecond, TimeProvider.System);
        var sender = new TwilioSmsSender(TwilioRestClientFactory.Create(options, TimeProvider.System, sendGate: gate), options, new CapturingLogger<TwilioSmsSender>());
        using var cancel = new CancellationTokenSource();

        var send = sender.SendAsync(Request(), cancel.Token);

        // The gate pauses once the 429 has been read, so the call now knows its only request created nothing.
        await Until(() => gate.IsPaused);
        await cancel.CancelAsync();

        var result = await send.WaitAsync(Deadline);
        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
        Assert.Single(twilio.Requests);
    }

    [Fact]
    public async Task Cancelling_an_in_doubt_check_that_hangs_ends_it_as_cancelled()
    {
        await using var twilio = await LocalTwilio.StartAsync(async c => await Task.Delay(Timeout.Infinite, c.RequestAborted));
        using var cancel = new CancellationTokenSource();

        var find = Sender(twilio.BaseUri).FindSentAsync("+15551234567", Instant.FromUtc(2026, 1, 1, 0, 0), cancel.Token);
        await Until(() => twilio.Requests.Count == 1);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => find.WaitAsync(Deadline));
        Assert.Single(twilio.Requests);
    }

    private static SmsRequest Request() => new(TestTwilio.NewRecipient(), TestTwilio.SenderPhone, null, "Hello", null);

    private static TwilioSmsSender Sender(Uri baseUri) =>
        TestTwilio.Sender(TestTwilio.Options(baseUri, o => o.RequestTimeout = TimeSpan.FromMinutes(10)));

    private static async Task Until(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
