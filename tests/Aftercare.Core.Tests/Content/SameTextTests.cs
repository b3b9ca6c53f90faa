using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Content;

/// <summary>Recognising a text we sent after the provider's smart encoding changed some characters.</summary>
public class SameTextTests
{
    [Theory]
    [InlineData("Hola Zoë, “gracias” — hasta pronto…", "Hola Zoe, \"gracias\" - hasta pronto...")]
    [InlineData("Hi Maya, wear SPF.", "Hi Maya, wear SPF.")]
    [InlineData("Sesión mañana", "Sesion mañana")]
    public void Texts_that_differ_only_by_encoding_swaps_are_the_same(string sent, string held) =>
        Assert.True(SmsText.SameText(sent, held));

    [Theory]
    [InlineData("Hi Maya, wear SPF.", "Hi Mara, wear SPF.")]
    [InlineData("Day 1: stay out of the sun.", "Day 3: stay out of the sun.")]
    [InlineData("Hi Maya", null)]
    public void Different_texts_are_not_the_same(string sent, string? held) =>
        Assert.False(SmsText.SameText(sent, held));
}
