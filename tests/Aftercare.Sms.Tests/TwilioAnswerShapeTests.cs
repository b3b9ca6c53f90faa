using System.Globalization;
using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// The sender against a local Kestrel answering one shape Twilio (or a proxy before it) can answer with: credentials
/// refused, an HTML error page, a created text without a SID, Retry-After in its forms.
/// </summary>
public sealed class TwilioAnswerShapeTests
{
    private const string To = "+15557654321";

    private readonly CapturingLogger<TwilioSmsSender> _logs = new();
    private readonly CapturingLogger<TwilioResilienceHandler> _handlerLogs = new();

    [Theory]
    [InlineData(401, 20003)]
    [InlineData(403, 20003)]
    public async Task Refused_credentials_are_retry_later_not_the_texts_fault(int status, int code)
    {
        await using var twilio = await LocalTwilio.StartAsync(c => LocalTwilio.ErrorAsync(c, status, code, "Authenticate"));

        var result = await SendAsync(twilio);

        Assert.Equal((SmsOutcome.RetryLater, code.ToString(CultureInfo.InvariantCulture), null), (result.Outcome, result.ErrorCode, result.RetryAfter));
        Assert.Single(twilio.Requests);
    }

    [Fact]
    public async Task Another_4xx_is_rejected_with_twilios_code()
    {
        await using var twilio = await LocalTwilio.StartAsync(c => LocalTwilio.ErrorAsync(c, 400, 21602, "Message body is required."));

        var result = await SendAsync(twilio);

        Assert.Equal((SmsOutcome.Rejected, SmsRejection.Other, "21602"), (result.Outcome, result.Rejection, result.ErrorCode));
    }

    [Fact]
    public async Task A_proxys_html_error_page_is_in_doubt_by_its_status_and_never_logged()
    {
        // The SDK reports status 0 for a body that is not Twilio's JSON, and quotes the body in its message.
        await using var twilio = await LocalTwilio.StartAsync(async c =>
        {
            c.Response.StatusCode = 502;
            c.Response.ContentType = "text/html";
            await c.Response.WriteAsync($"<html>Bad gateway for {To}</html>");
        });

        var result = await SendAsync(twilio);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
        Assert.Contains("HTTP 502", result.Detail, StringComparison.Ordinal);
        Assert.Single(twilio.Requests);
        Assert.DoesNotContain(To[1..], _logs.Text + _handlerLogs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_created_answer_without_a_sid_is_in_doubt()
    {
        await using var twilio = await LocalTwilio.StartAsync(async c =>
        {
            c.Response.StatusCode = 201;
            await c.Response.WriteAsJsonAsync(new { status = "queued" });
        });

        var result = await SendAsync(twilio);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
    }

    [Fact]
    public async Task A_created_answer_that_is_not_json_is_in_doubt()
    {
        await using var twilio = await LocalTwilio.StartAsync(async c =>
        {
            c.Response.StatusCode = 201;
            await c.Response.WriteAsync("created");
        });

        var result = await SendAsync(twilio);

        Assert.Equal(SmsOutcome.InDoubt, result.Outcome);
        Assert.Contains("HTTP 201", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_without_retry_after_backs_off_and_hands_back_no_retry_after()
    {
        await using var twilio = await LocalTwilio.StartAsync(c => LocalTwilio.ErrorAsync(c, 429, 20429, "Too Many Requests"));

        var result = await SendAsync(twilio);

        Assert.Equal((SmsOutcome.RetryLater, "20429", null), (result.Outcome, result.ErrorCode, result.RetryAfter));
        Assert.Equal(3, twilio.Requests.Count);
    }

    [Fact]
    public async Task A_retry_after_given_as_a_date_is_read_against_the_clock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var twilio = await LocalTwilio.StartAsync(c =>
        {
            c.Response.Headers.RetryAfter = clock.GetUtcNow().AddMinutes(2).ToString("R", CultureInfo.InvariantCulture);
            return LocalTwilio.ErrorAsync(c, 429, 20429, "Too Many Requests");
        });

        var result = await SendAsync(twilio, timeProvider: clock);

        Assert.Equal((SmsOutcome.RetryLater, TimeSpan.FromMinutes(2)), (result.Outcome, result.RetryAfter));
        Assert.Single(twilio.Requests);
    }

    [Fact]
    public async Task Concurrent_sends_each_get_their_own_retry_after()
    {
        // Each call's holder lives in its own async flow: one send's 429 never leaks into another's answer.
        await using var twilio = await LocalTwilio.StartAsync(async c =>
        {
            var form = await c.Request.ReadFormAsync();
            c.Response.Headers.RetryAfter = form["Body"].ToString();
            await LocalTwilio.ErrorAsync(c, 429, 20429, "Too Many Requests");
        });
        var sender = Sender(twilio);
        var waits = Enumerable.Range(0, 12).Select(i => 60 + (i * 7)).ToList();

        var results = await Task.WhenAll(waits.Select(wait =>
            Task.Run(() => sender.SendAsync(new SmsRequest(To, TestTwilio.SenderPhone, null, wait.ToString(CultureInfo.InvariantCulture), null), CancellationToken.None))));

        Assert.Equal(waits.Select(w => (TimeSpan?)TimeSpan.FromSeconds(w)), results.Select(r => r.RetryAfter));
    }

    private Task<SmsSendResult> SendAsync(LocalTwilio twilio, TimeProvider? timeProvider = null) =>
        Sender(twilio, timeProvider).SendAsync(new SmsRequest(To, TestTwilio.SenderPhone, null, "Hello", null), CancellationToken.None);

    private TwilioSmsSender Sender(LocalTwilio twilio, TimeProvider? timeProvider = null) =>
        TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri), _logs, timeProvider: timeProvider, handlerLogs: _handlerLogs);
}
