using Aftercare.Core.Messaging;
using Xunit;

namespace Aftercare.Core.Tests.Content;

public class SmsTextTests
{
    [Theory]
    [InlineData("Hello @ £ $ ¥ è é ù ì ò Ç Ø ø Å å Δ _ Φ Γ Λ Ω Π Ψ Σ Θ Ξ Æ æ ß É ¤ ¡ Ä Ö Ñ Ü § ¿ ä ö ñ ü à")]
    [InlineData("Line one\nline two\r")]
    public void Basic_table_characters_cost_one_septet_each(string text)
    {
        var measure = SmsText.Measure(text);

        Assert.Equal(SmsEncoding.Gsm7, measure.Encoding);
        Assert.Equal(text.Length, measure.Units);
    }

    [Theory]
    [InlineData('^')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('\\')]
    [InlineData('[')]
    [InlineData('~')]
    [InlineData(']')]
    [InlineData('|')]
    [InlineData('€')]
    [InlineData('\f')]
    public void Extension_characters_cost_two_septets(char c)
    {
        var measure = SmsText.Measure("a" + c);

        Assert.Equal(SmsEncoding.Gsm7, measure.Encoding);
        Assert.Equal(3, measure.Units);
    }

    [Theory]
    [InlineData("Zoë", 3)]
    [InlineData("día", 3)]
    [InlineData("Hi 😀", 5)]
    [InlineData("王小明", 3)]
    public void A_character_outside_GSM7_switches_to_UCS2_counting_UTF16_units(string text, int units)
    {
        var measure = SmsText.Measure(text);

        Assert.Equal(SmsEncoding.Ucs2, measure.Encoding);
        Assert.Equal(units, measure.Units);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void GSM7_segments_are_160_alone_and_153_when_split(int length, int segments)
    {
        var measure = SmsText.Measure(new string('a', length));

        Assert.Equal(new SmsMeasure(SmsEncoding.Gsm7, length, segments), measure);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void UCS2_segments_are_70_alone_and_67_when_split(int length, int segments)
    {
        var text = "ë" + new string('a', length - 1);

        Assert.Equal(new SmsMeasure(SmsEncoding.Ucs2, length, segments), SmsText.Measure(text));
    }

    [Fact]
    public void Extension_characters_count_twice_toward_the_single_segment_limit()
    {
        Assert.Equal(1, SmsText.Measure(new string('a', 158) + "€").Segments);
        Assert.Equal(2, SmsText.Measure(new string('a', 159) + "€").Segments);
    }

    [Fact]
    public void An_escape_pair_is_never_split_across_segments()
    {
        // 152 septets, then '€' (2) would straddle the 153-septet boundary, so it opens segment two.
        var text = new string('a', 152) + "€" + new string('a', 152);

        var measure = SmsText.Measure(text);

        Assert.Equal(306, measure.Units);
        Assert.Equal(3, measure.Segments);
    }

    [Fact]
    public void A_surrogate_pair_is_never_split_across_segments()
    {
        var text = new string('a', 66) + "😀" + new string('a', 66);

        var measure = SmsText.Measure(text);

        Assert.Equal(134, measure.Units);
        Assert.Equal(3, measure.Segments);
    }

    [Fact]
    public void The_empty_text_costs_one_segment()
    {
        Assert.Equal(new SmsMeasure(SmsEncoding.Gsm7, 0, 1), SmsText.Measure(string.Empty));
    }

    [Theory]
    [InlineData("\u201CQuoted\u201D", "\"Quoted\"")]
    [InlineData("It\u2019s \u2018fine\u2019", "It's 'fine'")]
    [InlineData("6\u20138 weeks \u2014 or so", "6-8 weeks - or so")]
    [InlineData("Wait\u2026", "Wait...")]
    [InlineData("24\u00A0h\u202Flater\u2009now", "24 h later now")]
    [InlineData("soft\u00ADhyphen\u200Bzero\uFEFFwidth", "softhyphenzerowidth")]
    [InlineData("\u00ABcomillas\u00BB", "\"comillas\"")]
    [InlineData("Tab\there", "Tab here")]
    [InlineData("día sérum ácido próxima única Ángela Íñigo Óscar Úrsula", "dia sérum acido proxima unica Angela Iñigo Oscar Ursula")]
    public void Normalize_maps_typographic_characters_and_Spanish_acute_vowels_to_GSM7(string input, string expected)
    {
        var normalized = SmsText.Normalize(input);

        Assert.Equal(expected, normalized);
        Assert.Equal(SmsEncoding.Gsm7, SmsText.Measure(normalized).Encoding);
    }

    [Theory]
    [InlineData("Zoë")]
    [InlineData("王小明")]
    [InlineData("😀")]
    public void Normalize_keeps_characters_it_has_no_equivalent_for(string input)
    {
        Assert.Equal(input, SmsText.Normalize(input));
    }

    [Fact]
    public void One_curly_apostrophe_no_longer_triples_the_cost_after_normalising()
    {
        var text = "It\u2019s " + new string('a', 150);

        Assert.Equal(3, SmsText.Measure(text).Segments);
        Assert.Equal(1, SmsText.Measure(SmsText.Normalize(text)).Segments);
    }
}
