using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Content;

/// <summary>The text handed to the provider: the opt-out line when asked for, and never more than two segments.</summary>
public class OutgoingTextTests
{
    private const string Body = "Hi Ana, your redness should be fading by now. Glow";

    [Fact]
    public void A_first_text_gets_the_line_in_its_locale_on_a_line_of_its_own()
    {
        var sms = OutgoingText.Compose(Body, "Ana", "en", withOptOutLine: true);

        Assert.Equal(new RenderedSms(Body + "\nReply STOP to opt out.", "en", SmsEncoding.Gsm7, 1), sms);
    }

    [Fact]
    public void A_later_text_goes_as_stored()
    {
        Assert.Equal(new RenderedSms(Body, "es", SmsEncoding.Gsm7, 1), OutgoingText.Compose(Body, "Ana", "es", withOptOutLine: false));
    }

    [Fact]
    public void A_text_that_says_it_already_does_not_say_it_twice()
    {
        var welcome = "Hola Ana, gracias. Responde STOP para no recibir mas. Glow";

        Assert.Equal(welcome, OutgoingText.Compose(welcome, "Ana", "es", withOptOutLine: true).Text);
    }

    [Fact]
    public void A_stored_text_over_two_segments_loses_the_first_name_first()
    {
        // Registered before names were held to what they cost: twenty '…' were sent as sixty dots and three segments.
        var name = new string('\u2026', 20);
        var advice = " Please call us on +442079460000 if you notice spreading redness, pus, pain that gets worse, fever, dark " +
            "patches or heavy bruising. General advice, not a diagnosis. Take care. Riverside Skin & Laser Studio.";
        var stored = "Hi " + SmsText.Normalize(name) + ", your redness should be fading by now." + advice;
        Assert.Equal(3, SmsText.Measure(stored).Segments);

        var sms = OutgoingText.Compose(stored, name, "en", withOptOutLine: true);

        Assert.Equal("Hi, your redness should be fading by now." + advice + "\nReply STOP to opt out.", sms.Text);
        Assert.Equal(2, sms.Segments);
    }

    [Fact]
    public void A_UCS2_text_still_too_long_without_the_name_is_folded_to_GSM7()
    {
        // An override saved before overrides were held to the opt-out line, in UCS-2 for its emoji.
        var stored = "Hola Zoë 🌿 " + new string('a', 110) + " Clínica Sol";
        Assert.Equal(2, SmsText.Measure(stored).Segments);

        var sms = OutgoingText.Compose(stored, "Zoë", "es", withOptOutLine: true);

        Assert.Equal("Hola  " + new string('a', 110) + " Clinica Sol\nResponde STOP para no recibir mas.", sms.Text);
        Assert.Equal((SmsEncoding.Gsm7, 2), (sms.Encoding, sms.Segments));
    }

    [Fact]
    public void Last_a_text_is_cut_after_its_last_whole_word_that_fits_and_the_line_stays_whole()
    {
        var stored = "Hi Ana, " + string.Join(' ', Enumerable.Repeat("word", 55)) + " Glow";
        Assert.Equal(2, SmsText.Measure(stored).Segments);

        var sms = OutgoingText.Compose(stored, "Maya", "en", withOptOutLine: true);

        Assert.Equal(2, sms.Segments);
        Assert.EndsWith(" word\nReply STOP to opt out.", sms.Text, StringComparison.Ordinal);
        Assert.StartsWith("Hi Ana, word word", sms.Text, StringComparison.Ordinal);
        Assert.True(sms.Text.Length > 280, sms.Text);
    }

    [Fact]
    public void A_name_is_taken_out_where_it_follows_a_space_not_inside_the_greeting_word()
    {
        var stored = "Hi Hi, " + new string('a', 300);

        var sms = OutgoingText.Compose(stored, "Hi", "en", withOptOutLine: false);

        Assert.Equal("Hi, " + new string('a', 300), sms.Text);
    }
}
