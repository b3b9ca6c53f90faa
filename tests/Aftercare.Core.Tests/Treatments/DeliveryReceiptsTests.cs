using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Treatments;

/// <summary>A text the console sender only printed is final: no status callback ever moves it.</summary>
public sealed class DeliveryReceiptsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 14, 30);

    [Theory]
    [InlineData(MessageStatus.Sent)]
    [InlineData(MessageStatus.Delivered)]
    [InlineData(MessageStatus.Undelivered)]
    [InlineData(MessageStatus.Failed)]
    public void A_simulated_text_takes_no_status_callback(MessageStatus reported)
    {
        var simulated = Message(MessageStatus.Simulated, "CONSOLE0123");

        Assert.Null(DeliveryReceipts.Apply(simulated, "CONSOLE0123", reported, "30003", Now));
    }

    [Fact]
    public void A_sent_text_still_moves_forward()
    {
        var sent = Message(MessageStatus.Sent, "SM0123");

        Assert.Equal(MessageStatus.Delivered, DeliveryReceipts.Apply(sent, "SM0123", MessageStatus.Delivered, null, Now)?.Status);
    }

    [Fact]
    public void Simulated_is_settled_has_its_wire_name_and_is_what_a_printed_text_reports()
    {
        Assert.True(MessageStatus.Simulated.IsSettled());
        Assert.False(MessageStatus.Simulated.IsPending());
        Assert.Equal("simulated", MessageStatus.Simulated.ToWire());
        Assert.True(SmsSendResult.Simulated("CONSOLE0123").IsSimulated);
        Assert.Equal(SmsOutcome.Accepted, SmsSendResult.Simulated("CONSOLE0123").Outcome);
        Assert.False(SmsSendResult.Accepted("SM0123", "queued").IsSimulated);
    }

    private static OutboundMessage Message(MessageStatus status, string providerId) => new()
    {
        StageId = "welcome-redness",
        Sequence = 0,
        DueAt = Now - Duration.FromMinutes(5),
        DueLocal = new LocalDateTime(2026, 11, 20, 14, 25),
        ExpiresAt = Now + Duration.FromDays(1),
        Body = "text",
        Encoding = SmsEncoding.Gsm7,
        Segments = 1,
        Status = status,
        ProviderMessageId = providerId,
        SentAt = Now,
    };
}
