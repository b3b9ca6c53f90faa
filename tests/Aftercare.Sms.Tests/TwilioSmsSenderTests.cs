using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>The sender against the stateful Twilio stand-in, one fault class at a time; each test has its own stand-in.</summary>
public sealed class TwilioSmsSenderTests : IAsyncLifetime
{
    private const string Body = "Hi Ana, your skin may look pink for a day or two. Reply STOP to opt out.";

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CapturingLogger<TwilioSmsSender> _logs = new();
    private readonly string _to = TestTwilio.NewRecipient();
    private TwilioStandIn _twilio = null!;

    public async Task InitializeAsync() => _twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions { RetryAfter = TimeSpan.Zero });

    public async Task DisposeAsync()
    {
        await _twilio.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task A_plain_send_is_accepted_with_twilios_sid()
    {
        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        var created = Assert.Single(_twilio.Created);
        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        Assert.Equal(created.Sid, result.MessageId);
        Assert.Equal("queued", result.ProviderStatus);
        Assert.Equal((_to, TestTwilio.Sender, Body), (created.To, created.From, created.Body));
    }

    [Fact]
    public async Task Rate_limited_then_retried_creates_one_message()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        Assert.Equal(3, _twilio.CreateRequests.Count);
        Assert.Equal(result.MessageId, Assert.Single(_twilio.Created).Sid);
    }

    [Fact]
    public async Task Rate_limited_beyond_the_retries_is_retry_later_and_creates_nothing()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
        Assert.Equal("20429", result.ErrorCode);
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

        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
        Assert.Single(slow.CreateRequests);
        Assert.Empty(slow.Created);
    }

    [Fact]
    public async Task A_refused_connection_is_retry_later()
    {
        // Nothing listens on this port, so every attempt is refused before a byte is sent.
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}");

        var result = await Sender(closed).SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.RetryLater, result.Outcome);
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
    public async Task A_500_after_creating_is_in_doubt_and_the_message_is_found()
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
        Assert.Equal((created.Sid, _to, Body), (sent.MessageId, sent.To, sent.Body));
    }

    [Fact]
    public async Task A_hang_after_creating_is_in_doubt_after_the_attempt_timeout()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.HangAfterCreate);
        var sender = Sender(configure: o => o.RequestTimeout = TimeSpan.FromMilliseconds(500));

        var result = await sender.SendAsync(Request(), CancellationToken.None);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
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

    [Fact]
    public async Task An_invalid_number_is_rejected_as_invalid()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.InvalidNumber);

        var result = await Sender().SendAsync(Request(), CancellationToken.None);

        Assert.Equal((SmsOutcome.Rejected, SmsRejection.InvalidNumber, "21211"), (result.Outcome, result.Rejection, result.ErrorCode));
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
        Assert.NotNull(third.RetryAfter);
        Assert.Equal(2, _twilio.CreateRequests.Count);
    }

    [Fact]
    public async Task Find_sent_keeps_only_that_number_from_the_start_of_the_second()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 3, 10, 23, 59, 58, TimeSpan.Zero));
        await using var twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions { TimeProvider = clock });
        var sender = Sender(twilio.BaseUri);
        await sender.SendAsync(Request(), CancellationToken.None);
        clock.Now = clock.Now.AddSeconds(3);
        var later = await sender.SendAsync(Request(), CancellationToken.None);
        await sender.SendAsync(Request() with { To = TestTwilio.NewRecipient() }, CancellationToken.None);

        // The stand-in stamps dates to the second, as Twilio does: sub-second 'since' must not hide the text.
        var since = Instant.FromDateTimeOffset(clock.Now.AddMilliseconds(700));
        var found = await sender.FindSentAsync(_to, since, CancellationToken.None);

        Assert.Equal(later.MessageId, Assert.Single(found).MessageId);
        Assert.Equal(2, (await sender.FindSentAsync(_to, since.Minus(Duration.FromSeconds(10)), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task List_follows_next_page_uri_through_every_page()
    {
        var client = new TwilioMessagesClient(_http, TestTwilio.Options(_twilio.BaseUri));
        for (var i = 0; i < 5; i++)
        {
            await client.CreateAsync(new CreateMessageOptions(_to, $"text {i}") { From = TestTwilio.Sender });
        }

        var pages = new List<int>();
        await foreach (var page in client.ListAsync(_to, DateOnly.FromDateTime(DateTime.UnixEpoch), pageSize: 2).AsPages())
        {
            pages.Add(page.Values.Count);
        }

        Assert.Equal([2, 2, 1], pages);
    }

    [Fact]
    public async Task Logs_mask_the_number_and_never_carry_the_text()
    {
        _twilio.EnqueueFaults(TwilioStandInFault.InvalidNumber, TwilioStandInFault.ServerErrorAfterCreate);
        var sender = Sender();

        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.SendAsync(Request(), CancellationToken.None);
        await sender.FindSentAsync(_to, Instant.FromUtc(2000, 1, 1, 0, 0), CancellationToken.None);

        Assert.Contains(PhoneMaskOf(_to), _logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_to, _logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("pink", _logs.Text, StringComparison.Ordinal);
    }

    private static string PhoneMaskOf(string phone) => Core.Privacy.PhoneMask.Mask(phone);

    private SmsRequest Request() => new(_to, TestTwilio.Sender, null, Body, null);

    private TwilioSmsSender Sender(Uri? baseUri = null, Action<TwilioOptions>? configure = null) =>
        new(new TwilioMessagesClient(_http, TestTwilio.Options(baseUri ?? _twilio.BaseUri, configure)), _logs);
}
