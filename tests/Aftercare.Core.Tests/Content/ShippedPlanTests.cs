using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using NodaTime;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class ShippedPlanTests
{
    public static TheoryData<string, string, string> EveryStageInEveryLocale()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var plan in ContentTestData.Shipped.All)
        {
            foreach (var stage in plan.Stages)
            {
                foreach (var locale in stage.Templates.Keys)
                {
                    data.Add(plan.Id, stage.Id, locale);
                }
            }
        }

        return data;
    }

    /// <summary>
    /// Worst cases for the client's first name, each exactly <see cref="ContentLimits.FirstNameMaxLength"/> units (what
    /// it costs in a text): the GSM-7 basic name that the budget is computed with; a Latin name with one letter GSM-7
    /// lacks (ë), which alone turns a text into UCS-2 and is common (Zoë, Chloë, Noël); a Polish one with several (ł,
    /// ś); a Vietnamese one full of stacked diacritics; a name in a non-Latin script, which has no GSM-7 form at all;
    /// extension characters at two septets each; ellipses that become three dots each; and emoji.
    /// </summary>
    private static readonly string[] WorstCaseNames =
    [
        "Maximiliana Josefina",
        "Zoë Margaret Åkesson",
        "Małgorzata Świętosła",
        "Nguyễn Thị Phương Lê",
        "王小明王小明王小明王小明王小明王小明王小",
        "[Ana]{Bea}€|Jo",
        "Ana…………… B",
        "Ana 😀😀😀😀😀😀😀 ✨",
    ];

    public static TheoryData<string> WorstCaseFirstNames() => [.. WorstCaseNames];

    [Fact]
    public void The_three_shipped_plans_load()
    {
        var ids = ContentTestData.Shipped.All.Select(p => p.Id).Order().ToArray();

        Assert.Equal([PlanIds.Body, PlanIds.Default, PlanIds.Light], ids);
    }

    [Theory]
    [MemberData(nameof(WorstCaseFirstNames))]
    public void Worst_case_names_are_at_the_maximum_length(string name)
    {
        Assert.Equal(ContentLimits.FirstNameMaxLength, ContentLimits.Units(name));
    }

    [Fact]
    public void The_longest_values_are_at_their_maximum_lengths_and_GSM7_basic()
    {
        var values = MessageTemplates.LongestValues;

        Assert.Equal(ContentLimits.FirstNameMaxLength, values[MessageTemplates.FirstName].Length);
        Assert.Equal(ContentLimits.ClinicNameMaxLength, values[MessageTemplates.ClinicName].Length);
        Assert.Equal(ContentLimits.BookingUrlMaxLength, values[MessageTemplates.BookingUrl].Length);
        Assert.Equal(ContentLimits.ContactPhoneMaxLength, values[MessageTemplates.ClinicPhone].Length);
        Assert.All(values.Values, v => Assert.True(SmsText.IsGsm7Basic(v), v));
        Assert.All(values.Values, v => Assert.Equal(v.Length, ContentLimits.Units(v)));
    }

    [Theory]
    [MemberData(nameof(EveryStageInEveryLocale))]
    public void Every_text_fits_two_GSM7_segments_with_the_longest_values_and_the_opt_out_line(string planId, string stageId, string locale)
    {
        var stage = Stage(planId, stageId);
        var context = ContentTestData.Longest(locale);

        var sms = MessageRenderer.Render(stage, context);
        var first = OutgoingText.Compose(sms.Text, context.FirstName, sms.Locale, withOptOutLine: true);

        Assert.Equal(locale, sms.Locale);
        Assert.Equal(SmsEncoding.Gsm7, sms.Encoding);
        Assert.InRange(sms.Segments, 1, ContentLimits.MaxSegments);
        Assert.Equal(SmsText.Measure(sms.Text).Segments, sms.Segments);
        Assert.Contains(MessageTemplates.LongestValues[MessageTemplates.FirstName], sms.Text, StringComparison.Ordinal);
        Assert.Contains(MessageTemplates.LongestValues[MessageTemplates.ClinicName], sms.Text, StringComparison.Ordinal);

        // As the first text a number receives: the line, once, and nothing shortened.
        Assert.InRange(first.Segments, 1, ContentLimits.MaxSegments);
        Assert.StartsWith(sms.Text, first.Text, StringComparison.Ordinal);
        Assert.Single(Occurrences(first.Text, OptOutLine.For(locale)));
    }

    [Theory]
    [MemberData(nameof(EveryStageInEveryLocale))]
    public void Every_text_fits_two_segments_whatever_script_the_name_is_in(string planId, string stageId, string locale)
    {
        var stage = Stage(planId, stageId);

        foreach (var name in WorstCaseNames)
        {
            var sms = MessageRenderer.Render(stage, ContentTestData.Longest(locale, firstName: name));
            var first = OutgoingText.Compose(sms.Text, name, sms.Locale, withOptOutLine: true);

            Assert.InRange(sms.Segments, 1, ContentLimits.MaxSegments);
            Assert.InRange(first.Segments, 1, ContentLimits.MaxSegments);
            Assert.StartsWith(sms.Text, first.Text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(EveryStageInEveryLocale))]
    public void Every_text_fits_two_segments_with_a_clinic_name_outside_GSM7(string planId, string stageId, string locale)
    {
        var stage = Stage(planId, stageId);
        var clinicName = "Clínica Estética Zoë ✨ Spa 30".PadRight(ContentLimits.ClinicNameMaxLength, 'x');

        var sms = MessageRenderer.Render(stage, ContentTestData.Longest(locale, clinicName: clinicName));
        var first = OutgoingText.Compose(sms.Text, MessageTemplates.LongestValues[MessageTemplates.FirstName], sms.Locale, withOptOutLine: true);

        Assert.InRange(sms.Segments, 1, ContentLimits.MaxSegments);
        Assert.InRange(first.Segments, 1, ContentLimits.MaxSegments);
        Assert.StartsWith(sms.Text, first.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryStageInEveryLocale))]
    public void Every_template_uses_known_placeholders_and_signs_with_the_clinic_name(string planId, string stageId, string locale)
    {
        var template = Stage(planId, stageId).Templates[locale];

        Assert.Empty(MessageTemplates.Validate(template, locale));
        Assert.EndsWith("{clinicName}", template, StringComparison.Ordinal);
        Assert.Contains("{firstName}", template, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_plan_starts_with_a_welcome_that_says_how_to_opt_out()
    {
        foreach (var plan in ContentTestData.Shipped.All)
        {
            var welcome = plan.Stages[0];
            Assert.Equal("welcome-redness", welcome.Id);
            Assert.Equal(new AfterTreatment(Duration.Zero), welcome.Timing);
            Assert.Contains("Reply STOP to opt out", welcome.Templates["en"], StringComparison.Ordinal);
            Assert.Contains("Responde STOP para no recibir más", welcome.Templates["es"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_stage_cites_seed_articles_by_file_name()
    {
        var stages = ContentTestData.Shipped.All.SelectMany(p => p.Stages).ToList();

        string[] seedArticles =
        [
            "000_dd14185539cdbdef.txt", "001_ef602532a648860b.txt", "002_3f12e0bc54af3a33.txt",
            "003_3d211de58384a7ba.txt", "004_6d63dfd62eefdfcb.txt",
        ];

        Assert.All(stages, s => Assert.All(s.Sources, source => Assert.Contains(source, seedArticles)));
    }

    [Fact]
    public void The_default_plan_follows_the_content_brief()
    {
        var plan = ContentTestData.ShippedPlan(PlanIds.Default);

        var expected = new (string Id, StageTiming Timing, Duration FreshFor, bool CancelOnRebook)[]
        {
            ("welcome-redness", new AfterTreatment(Duration.Zero), Duration.FromHours(12), false),
            ("sun-protection", new OnLocalDay(1, new LocalTime(9, 0)), Duration.FromHours(48), false),
            ("healing-check", new OnLocalDay(3, new LocalTime(10, 0)), Duration.FromHours(48), false),
            ("patch-test", new OnLocalDay(5, new LocalTime(10, 0)), Duration.FromHours(72), false),
            ("rebook", new OnLocalDay(42, new LocalTime(10, 0)), Duration.FromDays(14), true),
            ("rebook-reminder", new OnLocalDay(56, new LocalTime(10, 0)), Duration.FromDays(14), true),
        };
        var actual = plan.Stages.Select(s => (s.Id, s.Timing, s.FreshFor, s.CancelOnRebook)).ToArray();

        Assert.Equal(expected, actual);
        Assert.Contains("{bookingUrl}", plan.Stages[4].Templates["en"], StringComparison.Ordinal);
        Assert.Contains("{bookingUrl}", plan.Stages[4].Templates["es"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_light_plan_is_shorter_and_the_body_plan_settles_longer_than_the_default()
    {
        var light = ContentTestData.ShippedPlan(PlanIds.Light);
        var standard = ContentTestData.ShippedPlan(PlanIds.Default);
        var body = ContentTestData.ShippedPlan(PlanIds.Body);

        Assert.True(light.Stages.Count < standard.Stages.Count);
        Assert.Contains("a day or two", light.Stages[0].Templates["en"], StringComparison.Ordinal);
        Assert.Contains("numbing", body.Stages[0].Templates["en"], StringComparison.Ordinal);
        Assert.True(Day(body, "healing-check") > Day(standard, "healing-check"));
        Assert.True(Day(body, "patch-test") > Day(standard, "patch-test"));
    }

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }

    private static int Day(Plan plan, string stageId) =>
        ((OnLocalDay)plan.Stages.Single(s => s.Id == stageId).Timing).Day;

    private static PlanStage Stage(string planId, string stageId) =>
        ContentTestData.ShippedPlan(planId).Stages.Single(s => s.Id == stageId);
}
