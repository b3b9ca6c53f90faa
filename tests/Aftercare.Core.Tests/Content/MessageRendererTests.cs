using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class MessageRendererTests
{
    private static readonly PlanStage Stage = new(
        "welcome-redness",
        new AfterTreatment(Duration.Zero),
        Duration.FromHours(12),
        new Dictionary<string, string>
        {
            ["en"] = "Hi {firstName}, call {clinicPhone} or book {bookingUrl}. {clinicName}",
            ["es"] = "Hola {firstName}, ¿qué tal? Llama al {clinicPhone} o reserva en {bookingUrl}. Sesión próxima. {clinicName}",
        },
        ["004_6d63dfd62eefdfcb.txt"],
        CancelOnRebook: false);

    [Fact]
    public void Placeholders_are_filled_from_the_client_and_clinic()
    {
        var context = new MessageContext("en", "Ana", ContentTestData.Clinic(name: "Glow", bookingUrl: "https://b.example/x", contactPhone: "+15550100"));

        var sms = MessageRenderer.Render(Stage, context);

        Assert.Equal(new RenderedSms("Hi Ana, call +15550100 or book https://b.example/x. Glow", "en", SmsEncoding.Gsm7, 1), sms);
    }

    [Theory]
    [InlineData("es", "en", "es")]
    [InlineData("es-MX", "en", "es")]
    [InlineData("ES_us", "en", "es")]
    [InlineData("fr", "es", "es")]
    [InlineData("fr", "es-MX", "es")]
    [InlineData("fr", "de", "en")]
    [InlineData("", "", "en")]
    public void The_locale_is_the_clients_then_the_clinics_then_English(string clientLocale, string clinicLocale, string expected)
    {
        var context = new MessageContext(clientLocale, "Ana", ContentTestData.Clinic(defaultLocale: clinicLocale));

        Assert.Equal(expected, MessageRenderer.Render(Stage, context).Locale);
    }

    [Fact]
    public void Spanish_is_sent_in_GSM7_with_acute_vowels_unaccented_and_other_letters_kept()
    {
        var sms = MessageRenderer.Render(Stage, new MessageContext("es", "María", ContentTestData.Clinic(name: "Clínica Sol")));

        Assert.Equal(SmsEncoding.Gsm7, sms.Encoding);
        Assert.StartsWith("Hola Maria, ¿qué tal?", sms.Text, StringComparison.Ordinal);
        Assert.Contains("Sesion proxima. Clinica Sol", sms.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clinic_override_replaces_the_plan_template_for_that_stage_and_locale()
    {
        var overrides = new Dictionary<string, string> { [Clinic.TemplateOverrideKey("welcome-redness", "es")] = "¡Hola {firstName}! {clinicName}" };
        var clinic = ContentTestData.Clinic(name: "Glow", overrides: overrides);

        Assert.Equal("¡Hola Ana! Glow", MessageRenderer.Render(Stage, new MessageContext("es-MX", "Ana", clinic)).Text);
        Assert.StartsWith("Hi Ana,", MessageRenderer.Render(Stage, new MessageContext("en", "Ana", clinic)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_outside_GSM7_is_kept_as_written_when_the_text_still_fits()
    {
        var sms = MessageRenderer.Render(Stage, new MessageContext("en", "Zoë", ContentTestData.Clinic(name: "Glow", bookingUrl: "https://b.example")));

        Assert.Equal(SmsEncoding.Ucs2, sms.Encoding);
        Assert.StartsWith("Hi Zoë,", sms.Text, StringComparison.Ordinal);
        Assert.InRange(sms.Segments, 1, 2);
    }

    [Fact]
    public void A_name_outside_GSM7_is_folded_when_UCS2_would_need_more_than_two_segments()
    {
        var sms = MessageRenderer.Render(ContentTestData.ShippedPlan(PlanIds.Default).Stages[0], ContentTestData.Longest("en", firstName: "Zoë Margaret Åkesson"));

        Assert.Equal(SmsEncoding.Gsm7, sms.Encoding);
        Assert.StartsWith("Hi Zoe Margaret Åkesson,", sms.Text, StringComparison.Ordinal);
        Assert.InRange(sms.Segments, 1, 2);
    }

    [Fact]
    public void A_name_with_no_Latin_form_is_left_out_rather_than_tripling_the_cost()
    {
        var sms = MessageRenderer.Render(ContentTestData.ShippedPlan(PlanIds.Default).Stages[0], ContentTestData.Longest("en", firstName: "王小明王小明王小明王小明王小明王小明王小"));

        Assert.StartsWith("Hi, thank you", sms.Text, StringComparison.Ordinal);
        Assert.Equal(SmsEncoding.Gsm7, sms.Encoding);
    }

    [Fact]
    public void Typographic_characters_in_an_override_are_normalised()
    {
        var overrides = new Dictionary<string, string> { [Clinic.TemplateOverrideKey("welcome-redness", "en")] = "It\u2019s \u201Cfine\u201D \u2014 {clinicName}\u2026" };

        var sms = MessageRenderer.Render(Stage, new MessageContext("en", "Ana", ContentTestData.Clinic(name: "Glow", overrides: overrides)));

        Assert.Equal(new RenderedSms("It's \"fine\" - Glow...", "en", SmsEncoding.Gsm7, 1), sms);
    }

    [Theory]
    [InlineData("Hi {firstName}. {clinicName}", 0)]
    [InlineData("Hi {name}. {clinicName}", 1)]
    [InlineData("Hi {firstName. {clinicName}", 1)]
    [InlineData("", 1)]
    public void Validate_reports_problems_in_a_template(string template, int problems)
    {
        Assert.Equal(problems, MessageTemplates.Validate(template, "en").Count);
    }

    [Fact]
    public void Validate_holds_a_template_to_two_segments_with_the_longest_values_and_the_opt_out_line()
    {
        // 305 septets with the longest first name (20), the opt-out line and the newline before it: two full segments
        // less the one septet an extension escape at the boundary can waste.
        var line = "\n" + OptOutLine.For("en");
        var fits = "Hi {firstName} " + new string('a', 305 - "Hi ".Length - 20 - " ".Length - line.Length);

        Assert.Empty(MessageTemplates.Validate(fits, "en"));
        Assert.Contains("306 Gsm7 units", Assert.Single(MessageTemplates.Validate(fits + "a", "en")), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_leaves_no_room_for_a_second_opt_out_line_in_a_template_that_has_one()
    {
        var line = OptOutLine.For("en");
        var fits = "Hi {firstName} " + line + " " + new string('a', 305 - "Hi ".Length - 20 - " ".Length - line.Length - " ".Length);

        Assert.Empty(MessageTemplates.Validate(fits, "en"));
        Assert.Single(MessageTemplates.Validate(fits + "a", "en"));
    }

    [Fact]
    public void Validate_refuses_a_locale_whose_language_has_no_opt_out_line()
    {
        Assert.Empty(MessageTemplates.Validate("Hola {firstName}. {clinicName}", "es-MX"));
        Assert.Contains("no opt-out line", Assert.Single(MessageTemplates.Validate("Salut {firstName}. {clinicName}", "fr")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_keeps_room_for_the_opt_out_line_by_folding_the_name_first()
    {
        // 150 septets of text around a name that alone makes it UCS-2: as written it fits UCS-2's 134 units only
        // without the line; folded to GSM-7 it fits with it.
        var stage = StageWith("Hi {firstName}, " + new string('a', 100) + " {clinicName}");

        var sms = MessageRenderer.Render(stage, new MessageContext("en", "Zoë", ContentTestData.Clinic(name: "Glow")));

        Assert.Equal("Hi Zoe, " + new string('a', 100) + " Glow", sms.Text);
        Assert.Equal(SmsEncoding.Gsm7, sms.Encoding);
    }

    [Fact]
    public void A_name_that_cannot_fit_with_the_opt_out_line_even_folded_leaves_a_greeting_without_it()
    {
        // Twenty '…' are sixty septets ("..." each): far over the twenty a name may cost, so only the greeting stays.
        var stage = StageWith("Hi {firstName}, " + new string('a', 240) + " {clinicName}");

        var sms = MessageRenderer.Render(stage, new MessageContext("en", new string('\u2026', 20), ContentTestData.Clinic(name: "Glow")));

        Assert.Equal("Hi, " + new string('a', 240) + " Glow", sms.Text);
        Assert.InRange(SmsText.Measure(OptOutLine.AppendTo(sms.Text, "en")).Segments, 1, ContentLimits.MaxSegments);
    }

    private static PlanStage StageWith(string english) => Stage with
    {
        Templates = new Dictionary<string, string> { ["en"] = english, ["es"] = english },
    };
}
