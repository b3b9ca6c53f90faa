using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Replies;

/// <summary>The automatic answer to an urgent reply: who to call, in the client's locale, within 2 SMS segments.</summary>
public sealed class UrgentAnswerTests
{
    private static readonly string LongestClinicName = MessageTemplates.LongestValues[MessageTemplates.ClinicName];
    private static readonly string LongestClinicPhone = MessageTemplates.LongestValues[MessageTemplates.ClinicPhone];

    [Theory]
    [InlineData("my lips are swollen", "en")]
    [InlineData("I can't breathe", "en")]
    [InlineData("tengo fiebre", "es")]
    [InlineData("no puedo respirar", "es")]
    public void Fits_two_segments_with_the_longest_clinic_name_and_number(string reply, string locale)
    {
        var verdict = TriageTestData.Shipped.Classify(reply, locale);

        var answer = TriageTestData.Shipped.UrgentAnswer(verdict, LongestClinicName, LongestClinicPhone);

        Assert.True(SmsText.Measure(answer).Segments <= ContentLimits.MaxSegments, $"{SmsText.Measure(answer)}: {answer}");
        Assert.Contains(LongestClinicName, answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("there's pus", "en")]
    [InlineData("me sale pus", "es")]
    public void An_urgent_answer_gives_the_clinic_number_and_says_the_clinic_was_told(string reply, string locale)
    {
        var verdict = TriageTestData.Shipped.Classify(reply, locale);

        var answer = TriageTestData.Shipped.UrgentAnswer(verdict, "Riverside Skin", "+442079460000");

        Assert.Contains("+442079460000", answer, StringComparison.Ordinal);
        Assert.Contains("Riverside Skin", answer, StringComparison.Ordinal);
        Assert.True(SmsText.IsGsm7(answer), answer);
    }

    [Theory]
    [InlineData("I can't breathe", "en", "emergency services")]
    [InlineData("me falta el aire", "es", "emergencias")]
    public void An_emergency_answer_says_to_call_emergency_services(string reply, string locale, string words)
    {
        var verdict = TriageTestData.Shipped.Classify(reply, locale);
        var urgent = TriageTestData.Shipped.UrgentAnswer(verdict with { Emergency = false }, "Riverside Skin", "+442079460000");

        var answer = TriageTestData.Shipped.UrgentAnswer(verdict, "Riverside Skin", "+442079460000");

        Assert.Contains(words, answer, StringComparison.Ordinal);
        Assert.NotEqual(urgent, answer);
    }

    [Fact]
    public void A_reply_that_is_not_urgent_gets_no_urgent_answer() =>
        Assert.Throws<ArgumentException>(() =>
            TriageTestData.Shipped.UrgentAnswer(TriageTestData.Shipped.Classify("thanks!", "en"), "Riverside Skin", "+442079460000"));
}
