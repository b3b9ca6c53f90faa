using System.Text;
using Aftercare.Core.Phones;
using FsCheck;
using FsCheck.Fluent;
using PhoneNumbers;
using Xunit;

namespace Aftercare.Core.Tests.Phones;

/// <summary>
/// Random spellings of mobile numbers from six countries (separators between any digits, brackets, + or 00, national
/// form in the clinic's region, spaces around): each is the one canonical number, and the same spelling with anything
/// after it is refused, never cut back to the number.
/// </summary>
public class CanonicalPhoneProperties
{
    private static readonly (string E164, string Region)[] Numbers =
    [
        ("+447400123456", "GB"),
        ("+12015550123", "US"),
        ("+16135550123", "US"),
        ("+34612345678", "ES"),
        ("+525512345678", "MX"),
        ("+61412345678", "AU"),
        ("+919876543210", "IN"),
    ];

    private static readonly string[] Trailers = ["\n", "\r\n", "\t", "a", "x12", " ext 1", "#", "-", ")", ";1", ", +447400123457", " / 07400123457", "\u00A0", "\u2028"];

    [Fact]
    public void Every_spelling_of_a_number_is_its_canonical_number()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithReplay(new Replay(new Rnd(20261120UL), null)), Prop.ForAll(Spellings().ToArbitrary(), s =>
        {
            var result = CanonicalPhone.Parse(s.Written, PhoneUse.Texting, s.Region);
            Assert.True(result.E164 == s.E164, $"{Show(s.Written)} in {s.Region} gave {result.E164 ?? result.Refusal}, not {s.E164}");
        }));
    }

    [Fact]
    public void A_spelling_with_anything_after_it_is_refused()
    {
        var cases = Spellings().SelectMany(s => Gen.Elements(Trailers).Select(t => (s.Written.TrimEnd(' ') + t, s.Region)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000).WithReplay(new Replay(new Rnd(20261121UL), null)), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var result = CanonicalPhone.Parse(c.Item1, PhoneUse.Texting, c.Region);
            Assert.False(result.IsAccepted, $"{Show(c.Item1)} in {c.Region} was accepted as {result.E164}");
        }));
    }

    private sealed record Spelling(string Written, string? Region, string E164);

    private static Gen<Spelling> Spellings() =>
        from number in Gen.Elements(Numbers)
        from form in Gen.Choose(0, 2)
        from separators in Gen.ListOf(Gen.Elements("", "", "", " ", "-", ".", "  "), 20)
        from bracket in Gen.Choose(0, 3)
        from lead in Gen.Choose(0, 2)
        from trail in Gen.Choose(0, 2)
        from knowsRegion in Gen.Elements(true, false)
        select Spell(number.E164, number.Region, form, separators, bracket, lead, trail, knowsRegion);

    private static Spelling Spell(string e164, string region, int form, List<string> separators, int bracket, int lead, int trail, bool knowsRegion)
    {
        var library = PhoneNumberUtil.GetInstance();
        var number = library.Parse(e164, "ZZ");
        var countryCode = number.CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var national = new string(library.Format(number, PhoneNumberFormat.NATIONAL).Where(char.IsAsciiDigit).ToArray());
        var significant = library.GetNationalSignificantNumber(number);
        var (prefix, digits, clinicRegion) = form switch
        {
            0 => ("+" + countryCode, significant, knowsRegion ? region : null),
            1 => ("00" + countryCode, significant, knowsRegion ? region : null),
            _ => (string.Empty, national, region),
        };

        var written = new StringBuilder(prefix);
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 || prefix.Length > 0)
            {
                written.Append(separators[i % separators.Count]);
            }

            var opensBracket = bracket > 0 && i == 0;
            written.Append(opensBracket ? "(" : string.Empty).Append(digits[i]).Append(bracket > 0 && i == bracket ? ")" : string.Empty);
        }

        return new Spelling(new string(' ', lead) + written + new string(' ', trail), clinicRegion, e164);
    }

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
