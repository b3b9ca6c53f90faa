using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>The sender on the SDK against the stateful Twilio stand-in, one fault at a time; each test has its own stand-in.</summary>
public sealed class TwilioSmsSenderTests : IAsyncLifetime
{
    private const string Body = "Hi Ana, your skin may look pink for a day or two. Reply STOP to opt out.";

    private readonly CapturingLogger<TwilioSmsSender> _logs = new();
    private readonly CapturingLogger<TwilioResilienceHandler> _handlerLogs = new();
    private readonly string _to = TestTwilio.NewRecipient();
    private TwilioStandIn _twilio = null!;

    public async Task InitializeAsync() => _twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions { RetryAfter = TimeSpan.Zero });

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public async Task A_plain_send_is_accepted_with_twilios_sid()
    {
        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        var created = Assert.Single(_twilio.Created);
        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        Assert.Equal(created.Sid, result.MessageId);
        Assert.Equal("queued", result.ProviderStatus);
        Assert.Equal((_to, TestTwilio.SenderPhone, Body, TestTwilio.AccountSid), (created.To, created.From, created.Body, created.AccountSid));
    }

    [Fact]
    public async Task Rate_limited_then_retried_creates_one_message()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        Assert.Equal(3, _twilio.CreateRequests.Count);
        Assert.Equal(result.MessageId, Assert.Single(_twilio.Created).Sid);
        Assert.Equal(2, _handlerLogs.Lines.Count(l => l.Contains("got HTTP 429; retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Rate_limited_beyond_the_retries_is_retry_later_with_the_last_retry_after_and_creates_nothing()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal((SmsOutcome.RetryLater, "20429", TimeSpan.Zero), (result.Outcome, result.ErrorCode, result.RetryAfter));
        Assert.Equal(3, _twilio.CreateRequests.Count);
        Assert.Empty(_twilio.Created);
    }

    [Fact]
    public async Task With_retries_turned_off_a_rate_limit_is_handed_back_after_one_call()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.RateLimited);

        var result = await Sender(configure: o => o.Resilience.MaxRetryAttempts = 0).SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
        Assert.Single(_twilio.CreateRequests);
        Assert.Empty(_twilio.Created);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_longest_wait_is_handed_back_instead_of_waited_out()
    {
        await using var slow = await TwilioStandIn.StartAsync(new TwilioStandInOptions { RetryAfter = TimeSpan.FromSeconds(90) });
        slow.EnqueueFaults(TwilioStandInFault.RateLimited);

        var result = await Sender(slow.BaseUri).SendAsync(Request(), CancellationToken.None);

        Assert.Equal((SmsOutcome.RetryLater, "20429"), (result.Outcome, result.ErrorCode));
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
        Assert.Single(slow.CreateRequests);
        Assert.Empty(slow.Created);
    }

    [Fact]
    public async Task A_retry_after_within_the_longest_wait_is_the_wait_before_the_retry()
    {
        await using var paced = await TwilioStandIn.StartAsync(new TwilioStandInOptions { RetryAfter = TimeSpan.FromSeconds(1) });
        paced.EnqueueFaults(TwilioStandInFault.RateLimited);

        var result = await Sender(paced.BaseUri, o => o.Resilience.UseJitter = false).SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        Assert.Equal(2, paced.CreateRequests.Count);
        Assert.Contains(_handlerLogs.Lines, l => l.Contains("got HTTP 429; retrying in 00:00:01", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_retry_later()
    {
        // Nothing listens on this port, so every attempt is refused before a byte is sent: safe to retry.
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}");

        var result = await Sender(closed).SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
        Assert.Contains("refused the connection", result.Detail, StringComparison.Ordinal);
        Assert.Equal(2, _handlerLogs.Lines.Count(l => l.Contains("(ConnectionError); retrying", StringComparison.Ordinal)));
        Assert.Contains(_logs.Lines, l => l.Contains("after 3 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_dropped_after_the_request_left_is_in_doubt_and_never_retried()
    {
        // The client cannot tell this drop (nothing created) from one after creating, so it must not resend blindly;
        // the in-doubt check then shows nothing was created, which is what makes a later re-send safe.
        _twilio.EnqueueFaults(TwilioStandInFault.DropBeforeCreate);
        var since = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var sender = Sender();

        var result = await sender.SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
        Assert.Single(_twilio.CreateRequests);
        Assert.Empty(_twilio.Created);
        Assert.Empty(await sender.FindSentAsync(_to, since, CancellationToken.None));
    }

    [Fact]
    public async Task A_500_after_creating_is_in_doubt_never_retried_and_the_message_is_found()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.ServerErrorAfterCreate);
        var since = Instant.FromDateTimeOffset(TimeProvider.System.GetUtcNow());
        var sender = Sender();

        var result = await sender.SendAsync(Request(), CancellationToken.None);
        var found = await sender.FindSentAsync(_to, since, CancellationToken.None);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
        Assert.Single(_twilio.CreateRequests);
        var created = Assert.Single(_twilio.Created);
        var sent = Assert.Single(found);
        Assert.Equal((created.Sid, _to, Body, "queued"), (sent.MessageId, sent.To, sent.Body, sent.Status));
    }

    [Fact]
    public async Task A_hang_after_creating_is_in_doubt_after_the_attempt_timeout_and_never_retried()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.HangAfterCreate);
        var sender = Sender(configure: o => o.RequestTimeout = TimeSpan.FromMilliseconds(500));

        var result = await sender.SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
        Assert.Contains("did not answer within", result.Detail, StringComparison.Ordinal);
        Assert.Single(_twilio.CreateRequests);
        Assert.Single(_twilio.Created);
    }

    [Fact]
    public async Task Unsubscribed_is_rejected_as_unsubscribed()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.Unsubscribed);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal((SmsOutcome.Rejected, SmsRejection.Unsubscribed, "21610"), (result.Outcome, result.Rejection, result.ErrorCode));
        Assert.Single(_twilio.CreateRequests);
        Assert.Empty(_twilio.Created);
    }

    [Theory]
    [InlineData(TwilioStandInFault.InvalidNumber, "21211")]
    [InlineData(TwilioStandInFault.NotMobile, "21614")]
    public async Task An_invalid_or_non_mobile_number_is_rejected_as_invalid(TwilioStandInFault fault, string code)
    {
        _twilio.EnqueueFaults(fault);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal((SmsOutcome.Rejected, SmsRejection.InvalidNumber, code), (result.Outcome, result.Rejection, result.ErrorCode));
        Assert.Single(_twilio.CreateRequests);
        Assert.Empty(_twilio.Created);
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_then_nothing_is_called()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.ServerErrorAfterCreate, TwilioStandInFault.ServerErrorAfterCreate);
        var sender = Sender(configure: o =>
        {
            o.Resilience.BreakerMinimumThroughput = 2;
            o.Resilience.BreakerFailureRatio = 1;
            o.Resilience.BreakerBreakDuration = TimeSpan.FromMinutes(5);
        });

        Assert.Equal(SmsOutcome.InDoubt, (await sender.SendAsync(Request(), CancellationToken.None)).Outcome);
        Assert.Equal(SmsOutcome.InDoubt, (await sender.SendAsync(Request(), CancellationToken.None)).Outcome);
        var third = await sender.SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.RetryLater, third.Outcome);
        Assert.Contains("circuit open", third.Detail, StringComparison.Ordinal);
        Assert.NotNull(third.RetryAfter);
        Assert.InRange(third.RetryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal(2, _twilio.CreateRequests.Count);
        Assert.Contains(_handlerLogs.Lines, l => l.Contains("circuit opened", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_mask_the_number_and_never_carry_the_text_or_an_sdk_message()
    {
        // The stand-in's 21211 message quotes the number, as Twilio's does; the SDK copies it into its exception.
        _twilio.EnqueueFaults(TwilioStandInFault.InvalidNumber, TwilioStandInFault.ServerErrorAfterCreate, TwilioStandInFault.DropBeforeCreate);
        var sender = Sender();

        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.FindSentAsync(_to, Instant.FromUtc(2000, 1, 1, 0, 0), CancellationToken.None);

        var logged = _logs.Text + _handlerLogs.Text;
        Assert.Contains(Core.Privacy.PhoneMask.Mask(_to), logged, StringComparison.Ordinal);
        Assert.DoesNotContain(_to, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(_to[1..], logged, StringComparison.Ordinal);
        Assert.DoesNotContain("pink", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("not a valid phone number", logged, StringComparison.Ordinal);
    }

    private SmsRequest Request() => new(_to, TestTwilio.SenderPhone, null, Body, null);

    private TwilioSmsSender Sender(Uri? baseUri = null, Action<TwilioOptions>? configure = null) =>
        TestTwilio.Sender(TestTwilio.Options(baseUri ?? _twilio.BaseUri, configure), _logs, handlerLogs: _handlerLogs);
}
