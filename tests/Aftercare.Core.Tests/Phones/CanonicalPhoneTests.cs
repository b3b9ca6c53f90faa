using Aftercare.Core.Phones;
using Xunit;

namespace Aftercare.Core.Tests.Phones;

/// <summary>
/// Spellings of numbers from the UK, US/Canada, Spain, Mexico, Australia and India, each with the clinic region it is
/// read in (null: the clinic has none, so only international numbers can be read): the canonical E.164, or a refusal
/// whose reason contains the given words.
/// </summary>
public class CanonicalPhoneTests
{
    public static TheoryData<string, string?, string> Accepted() => new()
    {
        // United Kingdom
        { "+447400123456", null, "+447400123456" },
        { "+44 7400 123456", null, "+447400123456" },
        { "07400 123456", "GB", "+447400123456" },
        { "07400-123-456", "GB", "+447400123456" },
        { "(07400) 123.456", "GB", "+447400123456" },
        { "0044 7400 123456", "GB", "+447400123456" },
        { "+44 (0)7400 123456", null, "+447400123456" },
        { "  +447400123456  ", null, "+447400123456" },
        { "0044 7400 123456", null, "+447400123456" },

        // United States and Canada
        { "+1 (201) 555-0123", null, "+12015550123" },
        { "(201) 555-0123", "US", "+12015550123" },
        { "201.555.0123", "US", "+12015550123" },
        { "1 201 555 0123", "US", "+12015550123" },
        { "011 44 7400 123456", "US", "+447400123456" },
        { "0044 7400 123456", "US", "+447400123456" },
        { "(613) 555-0123", "US", "+16135550123" },

        // Spain
        { "612 34 56 78", "ES", "+34612345678" },
        { "0034 612 345 678", "ES", "+34612345678" },
        { "+34 612-345-678", "GB", "+34612345678" },

        // Mexico
        { "55 1234 5678", "MX", "+525512345678" },
        { "+52 55 1234 5678", "GB", "+525512345678" },

        // Australia
        { "0412 345 678", "AU", "+61412345678" },
        { "+61 412 345 678", null, "+61412345678" },
        { "0011 61 412 345 678", "AU", "+61412345678" },
        { "0044 7400 123456", "AU", "+447400123456" },
        { "+61 (0)412 345 678", null, "+61412345678" },

        // India
        { "+91 98765 43210", null, "+919876543210" },
        { "098765 43210", "IN", "+919876543210" },
        { "98765-43210", "IN", "+919876543210" },
    };

    public static TheoryData<string?, string?, string> Refused() => new()
    {
        { null, "GB", "required" },
        { "   ", "GB", "required" },
        { "+447400123456\n", null, "control characters" },
        { "+44\t7400123456", null, "control characters" },
        { "+447400123456abc", null, "letters" },
        { "+44 7400 123456 ext. 12", null, "letters" },
        { "1-800-FLOWERS", "US", "letters" },
        { "+447400123456 +447400123457", null, "one number" },
        { "+447400123456,07400123457", "GB", "one number" },
        { "+44 7400 123456-", null, "ending in a digit" },
        { "+44 7400 123456#", null, "ending in a digit" },
        { "+\uFF14\uFF14 7400 123456", null, "digits" },
        { "07400 123456 07400 123457", "GB", "Too long" },
        { "07400 123456", null, "international form" },
        { "+447700900123", null, "Not a valid number for +44 (GB)" },
        { "+44 20 7946 0000", null, "landline" },
        { "+44 800 123 4567", null, "toll-free" },
        { "+44 909 879 0123", null, "premium-rate" },
        { "+44 70 1234 5678", null, "personal" },
        { "+44 7400 1234567", null, "Too long for +44 (GB)" },
        { "+1 800 555 0199", null, "toll-free" },
        { "+1 555 555 0100", null, "Not a valid number for +1 (US)" },
        { "+34 91 234 56 78", null, "landline" },
        { "+52 1 55 1234 5678", null, "Too long for +52 (MX)" },
        { "044 55 1234 5678", "MX", "Too long for +52 (MX)" },
        { "+6104312345678", null, "Not a valid number for +61 (AU)" },
        { "1800 123 456", "AU", "toll-free" },
        { "+61 2 9876 5432", null, "landline" },
        { "+91 11 2345 6789", null, "landline" },
        { "+999 1234567", null, "country calling code" },
        { "+4474", null, "Too short" },
        { "+" + new string('1', 40), null, "At most 40 characters" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void A_spelling_becomes_its_canonical_number(string written, string? region, string canonical)
    {
        var result = CanonicalPhone.Parse(written, PhoneUse.Texting, region);

        Assert.True(result.IsAccepted, result.Refusal);
        Assert.Equal(canonical, result.E164);
        Assert.Equal(canonical, CanonicalPhone.Parse(result.E164, PhoneUse.Texting).E164);
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_spelling_that_is_not_one_mobile_number_is_refused_with_a_reason(string? written, string? region, string reason)
    {
        var result = CanonicalPhone.Parse(written, PhoneUse.Texting, region);

        Assert.False(result.IsAccepted, $"accepted as {result.E164}");
        Assert.Contains(reason, result.Refusal, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("123456", result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_covers_at_least_30_spellings_from_six_countries()
    {
        Assert.True(Accepted().Count + Refused().Count >= 30);
        var plans = Accepted().Select(row => (string)row[2]).Select(e164 => e164[..3]).ToHashSet();
        Assert.Superset(new HashSet<string> { "+44", "+12", "+34", "+52", "+61", "+91" }, plans);
    }

    [Theory]
    [InlineData("+44 20 7946 0000", "+442079460000")]
    [InlineData("+1 800 555 0199", "+18005550199")]
    [InlineData("+1 500 555 0006", "+15005550006")]
    public void Any_valid_line_passes_where_texts_are_not_sent_to_it(string written, string canonical)
    {
        Assert.Equal(canonical, CanonicalPhone.Parse(written, PhoneUse.AnyLine).E164);
        Assert.False(CanonicalPhone.Parse(written, PhoneUse.Texting).IsAccepted);
    }

    [Theory]
    [InlineData("+442079460000", "GB")]
    [InlineData("+447400123456", "GB")]
    [InlineData("+16135550123", "US")]
    [InlineData("+61298765432", "AU")]
    [InlineData("+80012345678", null)]
    [InlineData("02079460000", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_clinics_region_is_the_main_region_of_its_numbers_calling_code(string? e164, string? region)
    {
        Assert.Equal(region, CanonicalPhone.RegionOf(e164));
    }
}
