using Aftercare.Core.Messaging;
using Aftercare.Sms.Console;
using Aftercare.Sms.Tests.Support;
using NodaTime;
using Xunit;

namespace Aftercare.Sms.Tests;

public sealed class ConsoleSmsSenderTests
{
    private const string Phone = "+15551234567";
    private const string Body = "Hi Ana, some redness today is normal. Reply STOP to opt out.";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 3, 10, 14, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task In_development_prints_the_masked_number_and_the_whole_text_but_never_the_number()
    {
        using var output = new StringWriter();
        var sender = new ConsoleSmsSender(output, _clock, printTexts: true);

        var result = await sender.SendAsync(new SmsRequest(Phone, "+15005550006", null, Body, null), CancellationToken.None);

        var printed = output.ToString();
        Assert.Contains("+1******4567", printed, StringComparison.Ordinal);
        Assert.Contains(Body, printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, printed, StringComparison.Ordinal);
        Assert.Equal(SmsOutcome.Accepted, result.Outcome);
        Assert.True(result.IsSimulated);
        Assert.Matches("^CONSOLE[0-9a-f]{32}$", result.MessageId);
    }

    [Fact]
    public async Task Outside_development_prints_only_a_summary_without_the_name_the_number_or_the_text()
    {
        using var output = new StringWriter();
        var sender = new ConsoleSmsSender(output, _clock);

        var result = await sender.SendAsync(
            new SmsRequest(Phone, "+15005550006", null, Body, null) { ClinicId = "cl_1", StageId = "welcome-redness" }, CancellationToken.None);

        Assert.False(sender.PrintsTexts);
        Assert.Equal($"SMS (console, not sent) {result.MessageId}: clinic cl_1, stage welcome-redness, 1 segment(s) Gsm7, to +1******4567{Environment.NewLine}", output.ToString());
        Assert.True(result.IsSimulated);
    }

    [Fact]
    public async Task Finds_what_it_sent_to_that_number_since_the_instant()
    {
        var sender = new ConsoleSmsSender(TextWriter.Null, _clock);
        var before = await sender.SendAsync(new SmsRequest(Phone, null, "MG0123456789abcdef0123456789abcdef", "first", null), CancellationToken.None);
        _clock.Now = _clock.Now.AddMinutes(5);
        var since = Instant.FromDateTimeOffset(_clock.Now);
        var after = await sender.SendAsync(new SmsRequest(Phone, null, "MG0123456789abcdef0123456789abcdef", "second", null), CancellationToken.None);
        await sender.SendAsync(new SmsRequest("+15559876543", null, "MG0123456789abcdef0123456789abcdef", "other", null), CancellationToken.None);

        var found = await sender.FindSentAsync(Phone, since, CancellationToken.None);

        var sent = Assert.Single(found);
        Assert.Equal(after.MessageId, sent.MessageId);
        Assert.Equal("second", sent.Body);
        Assert.True(sent.IsSimulated);
        Assert.NotEqual(before.MessageId, after.MessageId);
    }
}
