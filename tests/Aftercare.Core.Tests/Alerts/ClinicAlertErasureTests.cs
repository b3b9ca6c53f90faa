using Aftercare.Core.Alerts;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Alerts;

public sealed class ClinicAlertErasureTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 20, 14, 30);

    [Fact]
    public void Without_client_data_an_alert_loses_the_name_phone_and_reply_text_only()
    {
        var alert = new ClinicAlert
        {
            Id = "reply-SM1",
            Type = ClinicAlertType.ClientReplyUrgent,
            CreatedAt = At,
            ClinicId = "cl_a",
            Treatment = new AlertTreatment("ext-1", "tr_1"),
            Client = new AlertClient("Maya", "+447400123456"),
            Reply = new AlertReply("my face is swollen", At, "urgent", ["en.swelling"]),
        };

        var erased = alert.WithoutClientData();

        Assert.False(alert.IsClientDataErased);
        Assert.True(erased.IsClientDataErased);
        Assert.Equal(new AlertClient(string.Empty, string.Empty), erased.Client);
        Assert.Equal(alert with { Client = erased.Client, Reply = alert.Reply with { Text = string.Empty } }, erased);
        Assert.Equal(erased, erased.WithoutClientData());
    }

    [Fact]
    public void A_failed_message_alert_keeps_its_stage_status_and_error_code()
    {
        var alert = new ClinicAlert
        {
            Id = "failed-tr_1-day-1",
            Type = ClinicAlertType.MessageFailed,
            CreatedAt = At,
            ClinicId = "cl_a",
            Treatment = new AlertTreatment("ext-1", "tr_1"),
            Client = new AlertClient("Maya", "+447400123456"),
            Message = new AlertMessage("day-1", "failed", "21211"),
        };

        var erased = alert.WithoutClientData();

        Assert.Null(erased.Reply);
        Assert.Equal(alert.Message, erased.Message);
        Assert.True(erased.IsClientDataErased);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(72)]
    [InlineData(240)]
    public void The_look_back_always_covers_the_retry_window_with_a_margin(int retryHours)
    {
        var options = new AlertDeliveryOptions { RetryFor = Duration.FromHours(retryHours) };

        Assert.Equal(Duration.FromHours(retryHours) + Duration.FromDays(2), options.Lookback);
        Assert.Equal(Duration.FromDays(3), new AlertDeliveryOptions().Lookback);
    }
}
