using Aftercare.Core.Privacy;
using Xunit;

namespace Aftercare.Sms.Tests;

public sealed class PhoneMaskTests
{
    [Theory]
    [InlineData("+15551234567", "+1******4567")]
    [InlineData("+447700900123", "+4*******0123")]
    [InlineData("+34612345678", "+3******5678")]
    [InlineData("+12345678", "+1***5678")]
    public void Keeps_the_plus_the_first_digit_and_the_last_four(string phone, string expected) =>
        Assert.Equal(expected, PhoneMask.Mask(phone));

    [Theory]
    [InlineData("+1234567", "********")]
    [InlineData("15551234567", "***********")]
    [InlineData("+1555123456a", "************")]
    [InlineData("+1234567890123456", "*****************")]
    [InlineData("whatsapp:+15551234567", "*********************")]
    public void Short_or_odd_input_is_masked_entirely(string phone, string expected) =>
        Assert.Equal(expected, PhoneMask.Mask(phone));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Nothing_stays_nothing(string? phone) => Assert.Equal(string.Empty, PhoneMask.Mask(phone));
}
