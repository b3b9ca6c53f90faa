using Aftercare.Core.Messaging;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>
/// The in-doubt check: what Twilio holds to a number since an instant. These tests run with the machine's zone set to
/// America/St_Johns (sms.runsettings), where the SDK's local-time dates are hours and a half off UTC.
/// </summary>
public sealed class TwilioFindSentTests
{
    private const string Body = "Hi Ana, your skin may look pink for a day or two. Reply STOP to opt out.";

    [Fact]
    public void These_tests_run_away_from_utc() =>
        Assert.NotEqual(TimeSpan.Zero, TimeZoneInfo.Local.GetUtcOffset(new DateTime(2023, 11, 5, 4, 0, 0, DateTimeKind.Utc)));

    [Fact]
    public async Task Keeps_only_that_number_from_the_start_of_the_second()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 3, 10, 23, 59, 58, TimeSpan.Zero));
        await using var twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions { TimeProvider = clock });
        var sender = TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri));
        var to = TestTwilio.NewRecipient();
        await sender.SendAsync(Request(to), CancellationToken.None);
        clock.Now = clock.Now.AddSeconds(3);
        var later = await sender.SendAsync(Request(to), CancellationToken.None);
        await sender.SendAsync(Request(TestTwilio.NewRecipient()), CancellationToken.None);

        // The stand-in stamps dates to the second, as Twilio does: a sub-second 'since' must not hide the text.
        var since = Instant.FromDateTimeOffset(clock.Now.AddMilliseconds(700));
        var found = await sender.FindSentAsync(to, since, CancellationToken.None);

        var sent = Assert.Single(found);
        Assert.Equal((later.MessageId, Instant.FromDateTimeOffset(clock.Now)), (sent.MessageId, sent.CreatedAt));
        Assert.Equal(2, (await sender.FindSentAsync(to, since.Minus(Duration.FromSeconds(10)), CancellationToken.None)).Count);
    }

    [Theory]
    [InlineData("Sun, 05 Nov 2023 04:00:00 +0000")]
    [InlineData("Sun, 05 Nov 2023 05:00:00 +0000")]
    [InlineData("Thu, 24 Aug 2023 05:01:45 +0000")]
    public async Task Reports_the_instant_twilio_stamped_whatever_the_machines_zone(string dateCreated)
    {
        // 04:00Z and 05:00Z are both 01:30 in St. John's on the night its clocks fall back: read as a local clock time,
        // one of them would be an hour off, and any of them hours off if taken for UTC.
        var expected = Instant.FromDateTimeOffset(DateTimeOffset.Parse(dateCreated, System.Globalization.CultureInfo.InvariantCulture));
        await using var twilio = await LocalTwilio.StartAsync(c => c.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["messages"] = new[] { new Dictionary<string, object?> { ["sid"] = "SM" + new string('a', 32), ["to"] = "+15551234567", ["body"] = Body, ["status"] = "delivered", ["date_created"] = dateCreated } },
            ["uri"] = "/2010-04-01/Accounts/AC/Messages.json?To=%2B15551234567&PageSize=100&Page=0",
            ["page_size"] = 100,
            ["next_page_uri"] = null,
        }));
        var sender = TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri));

        var found = await sender.FindSentAsync("+15551234567", expected, CancellationToken.None);
        var none = await sender.FindSentAsync("+15551234567", expected.Plus(Duration.FromSeconds(1)), CancellationToken.None);

        Assert.Equal(expected, Assert.Single(found).CreatedAt);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Pages_are_followed_to_the_end_with_async_requests()
    {
        await using var twilio = await TwilioStandIn.StartAsync();
        var options = TestTwilio.Options(twilio.BaseUri);
        var client = TestTwilio.Client(options);
        var to = TestTwilio.NewRecipient();
        for (var i = 0; i < 5; i++)
        {
            await MessageResource.CreateAsync(new CreateMessageOptions(new PhoneNumber(to)) { From = new PhoneNumber(TestTwilio.SenderPhone), Body = $"text {i}" }, client);
        }

        var bodies = new List<string>();
        await foreach (var message in TwilioMessagePages.ReadAsync(client, new ReadMessageOptions { To = new PhoneNumber(to), PageSize = 2 }, maxPages: 3))
        {
            bodies.Add(message.Body);
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"text {i}").Order(), bodies.Order());
    }

    [Fact]
    public async Task More_pages_than_the_cap_is_an_error_not_a_partial_answer()
    {
        await using var twilio = await TwilioStandIn.StartAsync();
        var client = TestTwilio.Client(TestTwilio.Options(twilio.BaseUri));
        var to = TestTwilio.NewRecipient();
        for (var i = 0; i < 5; i++)
        {
            await MessageResource.CreateAsync(new CreateMessageOptions(new PhoneNumber(to)) { From = new PhoneNumber(TestTwilio.SenderPhone), Body = $"text {i}" }, client);
        }

        var read = 0;
        var error = await Assert.ThrowsAsync<TwilioRequestException>(async () =>
        {
            await foreach (var _ in TwilioMessagePages.ReadAsync(client, new ReadMessageOptions { To = new PhoneNumber(to), PageSize = 2 }, maxPages: 2))
            {
                read++;
            }
        });

        Assert.Equal(4, read);
        Assert.Contains("more than 2 pages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_list_is_retried_then_thrown_without_the_number()
    {
        const string To = "+15559871234";
        await using var twilio = await LocalTwilio.StartAsync(c => LocalTwilio.ErrorAsync(c, 503, 20503, $"Service unavailable for {To}"));
        var logs = new CapturingLogger<TwilioSmsSender>();

        var error = await Assert.ThrowsAsync<TwilioRequestException>(
            () => TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri), logs).FindSentAsync(To, Instant.FromUtc(2026, 1, 1, 0, 0), CancellationToken.None));

        Assert.Equal(3, twilio.Requests.Count);
        Assert.Equal((503, 20503), (error.HttpStatus, error.TwilioCode));
        Assert.Null(error.InnerException);
        Assert.DoesNotContain(To[1..], error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(To[1..], logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_that_cannot_connect_is_thrown_without_the_url()
    {
        // The SDK's connection error names the URL, and the URL carries the number in its To filter.
        const string To = "+15559871234";
        var closed = new Uri($"http://127.0.0.1:{FreePort.Next()}");

        var error = await Assert.ThrowsAsync<TwilioRequestException>(
            () => TestTwilio.Sender(TestTwilio.Options(closed)).FindSentAsync(To, Instant.FromUtc(2026, 1, 1, 0, 0), CancellationToken.None));

        Assert.Null(error.HttpStatus);
        Assert.DoesNotContain(To[1..], error.ToString(), StringComparison.Ordinal);
    }

    private static SmsRequest Request(string to) => new(to, TestTwilio.SenderPhone, null, Body, null);
}
