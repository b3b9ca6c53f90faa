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
        Assert.Equal(problems, MessageTemplates.Validate(template).Count);
    }

    [Fact]
    public void Validate_rejects_a_template_that_outgrows_two_segments_with_the_longest_values()
    {
        var fits = "Hi {firstName} " + new string('a', 306 - "Hi ".Length - 20 - " ".Length);

        Assert.Empty(MessageTemplates.Validate(fits));
        Assert.Contains("3 segments", Assert.Single(MessageTemplates.Validate(fits + "a")), StringComparison.Ordinal);
    }
}
