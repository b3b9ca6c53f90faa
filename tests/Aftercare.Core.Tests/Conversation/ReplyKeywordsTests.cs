using Aftercare.Core.Clinics;
using Aftercare.Core.Conversation;
using Aftercare.Core.Messaging;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Conversation;

public class ReplyKeywordsTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData("  Stop\n")]
    [InlineData("STOPALL")]
    [InlineData("unsubscribe")]
    [InlineData("Cancel")]
    [InlineData("END")]
    [InlineData("quit")]
    [InlineData("REVOKE")]
    [InlineData("optout")]
    [InlineData("Parar")]
    [InlineData("BAJA")]
    [InlineData("cancelar")]
    [InlineData("detener")]
    public void The_opt_out_words_opt_out(string body) => Assert.Equal(ReplyKind.OptOut, ReplyKeywords.Classify(body, null));

    [Theory]
    [InlineData("START")]
    [InlineData("unstop")]
    [InlineData("Yes")]
    [InlineData("sí")]
    [InlineData("SI")]
    [InlineData("comenzar")]
    [InlineData("Alta")]
    public void The_opt_in_words_opt_in(string body) => Assert.Equal(ReplyKind.OptIn, ReplyKeywords.Classify(body, null));

    [Theory]
    [InlineData("HELP")]
    [InlineData("info")]
    [InlineData("Ayuda")]
    [InlineData("Información")]
    public void The_help_words_ask_for_help(string body) => Assert.Equal(ReplyKind.Help, ReplyKeywords.Classify(body, null));

    [Theory]
    [InlineData("stop texting me please")]
    [InlineData("Stop.")]
    [InlineData("yes it is still red")]
    [InlineData("help my face is swollen")]
    [InlineData("para mañana?")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Anything_but_a_whole_keyword_is_text(string? body) => Assert.Equal(ReplyKind.Text, ReplyKeywords.Classify(body, null));

    [Theory]
    [InlineData("STOP", ReplyKind.OptOut)]
    [InlineData("start", ReplyKind.OptIn)]
    [InlineData("HELP", ReplyKind.Help)]
    public void Twilio_opt_out_type_wins_over_the_body(string optOutType, ReplyKind kind) =>
        Assert.Equal(kind, ReplyKeywords.Classify("arrêt s'il vous plaît", optOutType));

    [Fact]
    public void An_unknown_opt_out_type_leaves_the_body_to_decide() =>
        Assert.Equal(ReplyKind.OptIn, ReplyKeywords.Classify("start", "SOMETHING"));

    [Fact]
    public void Every_kind_has_a_wire_name_that_reads_back()
    {
        foreach (var kind in Enum.GetValues<ReplyKind>())
        {
            Assert.Equal(kind, ReplyKinds.FromWire(kind.ToWire()));
        }
    }

    [Fact]
    public void Help_names_the_clinic_and_its_contact_and_ends_with_the_stop_line_in_the_client_language()
    {
        var clinic = new Clinic
        {
            Id = "cl_1",
            Name = "Clínica Río",
            TimeZoneId = "Europe/Madrid",
            SenderPhone = "+15005550006",
            BookingUrl = "https://book.example",
            ContactPhone = "+34912345678",
            QuietHours = QuietHours.Default,
            DefaultLocale = "es",
            WebhookSecret = "secret",
            CreatedAt = Instant.FromUtc(2026, 1, 1, 0, 0),
        };

        var english = HelpAnswer.For(clinic, "en-GB");
        var spanish = HelpAnswer.For(clinic, "es");

        Assert.Contains("+34912345678", english, StringComparison.Ordinal);
        Assert.EndsWith("\n" + OptOutLine.For("en"), english, StringComparison.Ordinal);
        Assert.Contains("Llamanos al +34912345678", spanish, StringComparison.Ordinal);
        Assert.EndsWith("\n" + OptOutLine.For("es"), spanish, StringComparison.Ordinal);

        // The longest name and contact phone a clinic may have still fit the segment limit.
        var longest = clinic with { Name = new string('Ñ', ContentLimits.ClinicNameMaxLength), ContactPhone = "+" + new string('9', ContentLimits.ContactPhoneMaxLength - 1) };
        Assert.All(["en", "es"], locale => Assert.True(SmsText.Measure(HelpAnswer.For(longest, locale)).Segments <= ContentLimits.MaxSegments));
    }
}
