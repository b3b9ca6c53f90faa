using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Content;

/// <summary>Values are held to their limits in what they cost in a text once folded, not in characters.</summary>
public class ContentLimitsTests
{
    [Theory]
    [InlineData("Maya", 4)]
    [InlineData("Zoë", 3)]
    [InlineData("\u2026", 3)]
    [InlineData("€", 2)]
    [InlineData("[Jo]", 6)]
    [InlineData("😀", 2)]
    [InlineData("王小明", 3)]
    [InlineData("Ana\u200BBo", 5)]
    [InlineData("Jo\u00A0Ann", 6)]
    public void Units_count_what_a_value_costs_in_a_text(string value, int units)
    {
        Assert.Equal(units, ContentLimits.Units(value));
    }

    [Fact]
    public void Twenty_ellipses_are_sixty_units_not_twenty_characters()
    {
        var name = new string('\u2026', 20);

        Assert.Equal(60, ContentLimits.Units(name));
        Assert.NotNull(ContentLimits.Exceeds(name, ContentLimits.FirstNameMaxLength));
        Assert.Null(ContentLimits.Exceeds(new string('\u2026', 6) + "Jo", ContentLimits.FirstNameMaxLength));
    }

    [Fact]
    public void The_problem_names_the_limit_and_the_costly_characters_but_never_the_value()
    {
        var problem = ContentLimits.Exceeds("Secret Name €€€€€€€€€€", ContentLimits.FirstNameMaxLength);

        Assert.Equal("At most 20 characters as sent in a text, where … counts 3 and each of € [ ] { } ~ | ^ \\ counts 2.", problem);
    }

    [Fact]
    public void Folding_a_value_never_costs_more_than_its_units()
    {
        foreach (var value in new[] { "Zoë Åkesson", "\u2026\u2026 Jo", "[Ana]{Bea}€|", "Ana 😀 ✨", "王小明", "Nguyễn Thị" })
        {
            Assert.InRange(SmsText.Measure(GsmFolding.Fold(value)).Units, 0, ContentLimits.Units(value));
        }
    }

    [Fact]
    public void Safe_units_leave_one_unit_for_an_escape_or_surrogate_pair_at_the_segment_boundary()
    {
        Assert.Equal(305, ContentLimits.SafeUnits(SmsEncoding.Gsm7));
        Assert.Equal(133, ContentLimits.SafeUnits(SmsEncoding.Ucs2));

        // 152 basic septets then extension characters: the escape that would straddle septet 153 starts segment two.
        Assert.Equal(3, SmsText.Measure(new string('a', 152) + new string('€', 77)).Segments);
        Assert.Equal(2, SmsText.Measure(new string('a', 151) + new string('€', 77)).Segments);
    }
}
