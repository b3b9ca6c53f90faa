using System.Text.Json;
using Aftercare.Sms.Twilio;
using Xunit;

namespace Aftercare.Sms.Tests;

public sealed class TwilioWireFormatTests
{
    [Fact]
    public void Reads_twilios_message_resource()
    {
        const string json = """
            {"sid":"SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","status":"queued","error_code":null,"error_message":null,
             "date_created":"Thu, 24 Aug 2023 05:01:45 +0000","date_sent":null,"date_updated":"Thu, 24 Aug 2023 07:01:45 +0200",
             "to":"+14155552345","from":"+14155552346","messaging_service_sid":null,"body":"Hello! 👍","num_segments":"2"}
            """;

        var message = JsonSerializer.Deserialize<TwilioMessage>(json)!;

        Assert.Equal("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", message.Sid);
        Assert.Equal(new DateTimeOffset(2023, 8, 24, 5, 1, 45, TimeSpan.Zero), message.DateCreated);
        Assert.Equal(message.DateCreated, message.DateUpdated);
        Assert.Null(message.DateSent);
        Assert.Equal(2, message.NumSegments);
        Assert.Equal("Hello! 👍", message.Body);
    }

    [Fact]
    public void Rejects_a_date_that_is_not_rfc_2822() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TwilioMessage>("""{"sid":"SM1","date_created":"2023-08-24T05:01:45Z"}"""));

    [Fact]
    public void Writes_dates_the_way_twilio_does() =>
        Assert.Equal("Thu, 24 Aug 2023 05:01:45 +0000", Rfc2822DateConverter.Format(new DateTimeOffset(2023, 8, 24, 7, 1, 45, TimeSpan.FromHours(2))));

    [Fact]
    public void Error_messages_lose_phone_numbers() =>
        Assert.Equal(
            "The 'To' number +1******4567 is not a valid phone number (ref 1234).",
            TwilioErrors.Scrub("The 'To' number +15551234567 is not a valid phone number (ref 1234)."));
}
