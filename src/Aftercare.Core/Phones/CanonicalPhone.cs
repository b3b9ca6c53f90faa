using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Aftercare.Core.Phones;

/// <summary>
/// The one rule that turns a phone number as a clinic writes it into the one form that is stored, compared, hashed and
/// sent: E.164 (<c>+</c>, country calling code, national number; ITU-T E.164), parsed and checked with libphonenumber
/// (Google's numbering metadata, through libphonenumber-csharp). Pure: no I/O, safe from any thread.
/// </summary>
/// <remarks>
/// <para>
/// Accepted spellings: digits with spaces, dashes, dots and brackets; an international number with a leading <c>+</c> or
/// <c>00</c> (or the international prefix of the default region, e.g. <c>011</c> for the US); a national number
/// (<c>07400 123456</c>, <c>(202) 555-0123</c>) when a default region is given; a trunk <c>0</c> written after the
/// country code (<c>+44 (0)7400 123456</c>), which the library drops as the numbering plan says; spaces around it.
/// </para>
/// <para>
/// Before the library sees it, the text must be only those characters and end in a digit: libphonenumber is lenient by
/// design (it drops trailing text such as <c>"\n"</c> or <c>"abc"</c>, turns letters into keypad digits and reads
/// <c>ext.</c> or <c>#</c> as an extension), and here nothing may be cut off or reinterpreted silently. So a control
/// character, a letter, a second number or anything after the last digit refuses the number.
/// </para>
/// </remarks>
public static partial class CanonicalPhone
{
    /// <summary>The longest text looked at, in characters (spaces and brackets included).</summary>
    public const int MaxLength = 40;

    private const string InternationalPrefix = "00";
    private const string UnknownRegion = "ZZ";
    private static readonly PhoneNumberUtil Library = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Parses <paramref name="text"/> into canonical E.164, or says why it is refused.
    /// </summary>
    /// <param name="text">The number as written; null or blank is refused.</param>
    /// <param name="use">Which kinds of line pass: <see cref="PhoneUse.Texting"/> only mobile lines.</param>
    /// <param name="defaultRegion">
    /// The ISO 3166-1 alpha-2 region (e.g. "GB") that a national number is read in, usually
    /// <see cref="RegionOf"/> the clinic's contact phone; null (or an unknown region) accepts international numbers only.
    /// </param>
    /// <returns>The canonical number, or a refusal that never repeats the number. Never throws.</returns>
    public static PhoneParseResult Parse(string? text, PhoneUse use, string? defaultRegion = null)
    {
        var written = text?.Trim(' ');
        if (string.IsNullOrEmpty(written))
        {
            return PhoneParseResult.Refused("A phone number is required.");
        }

        if (WrittenProblem(written) is { } problem)
        {
            return PhoneParseResult.Refused(problem);
        }

        var region = defaultRegion is not null && Library.GetSupportedRegions().Contains(defaultRegion) ? defaultRegion : null;
        PhoneNumber number;
        try
        {
            if (ReadNumber(written, region) is not { } read)
            {
                return PhoneParseResult.Refused("Give the number in international form: + (or 00) and the country code first, e.g. +44 for the UK.");
            }

            number = read;
        }
        catch (NumberParseException ex)
        {
            return PhoneParseResult.Refused(ex.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE => "Unknown country calling code.",
                ErrorType.TOO_SHORT_AFTER_IDD or ErrorType.TOO_SHORT_NSN => "Too short to be a phone number.",
                ErrorType.TOO_LONG => "Too long to be a phone number.",
                _ => "Not a phone number.",
            });
        }

        if (NumberProblem(number, use) is { } refusal)
        {
            return PhoneParseResult.Refused(refusal);
        }

        return PhoneParseResult.Accepted(Library.Format(number, PhoneNumberFormat.E164));
    }

    /// <summary>
    /// The region whose national numbers a clinic writes, taken from one of its own numbers: the main region of that
    /// number's country calling code ("GB" for +44, "US" for +1, "AU" for +61). Null for a number that does not parse
    /// or belongs to no region (+800 and other non-geographic codes).
    /// </summary>
    /// <param name="e164">A number in E.164, e.g. the clinic's stored contact phone.</param>
    public static string? RegionOf(string? e164)
    {
        if (string.IsNullOrEmpty(e164) || !e164.StartsWith('+') || e164.Length > MaxLength)
        {
            return null;
        }

        try
        {
            var region = Library.GetRegionCodeForCountryCode(Library.Parse(e164, UnknownRegion).CountryCode);
            return Library.GetSupportedRegions().Contains(region) ? region : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static string? WrittenProblem(string written)
    {
        if (written.Length > MaxLength)
        {
            return $"At most {MaxLength} characters.";
        }

        if (written.Any(char.IsControl))
        {
            return "Must not contain control characters (a newline, a tab).";
        }

        if (written.Any(char.IsLetter))
        {
            return "Must not contain letters: digits only, no extension.";
        }

        return WrittenNumber().IsMatch(written)
            ? null
            : "Use digits, spaces, dashes, dots and brackets only, with an optional leading +: one number, ending in a digit.";
    }

    /// <summary>The number as the library reads it, or null when it is national and there is no region to read it in.</summary>
    private static PhoneNumber? ReadNumber(string written, string? region)
    {
        if (written.StartsWith('+'))
        {
            return Library.Parse(written, UnknownRegion);
        }

        var startsWithInternationalPrefix = written.StartsWith(InternationalPrefix, StringComparison.Ordinal);
        if (region is not null)
        {
            // The region's own international prefix (011 in the US, 0011 in Australia) is the library's to read.
            var number = Library.ParseAndKeepRawInput(written, region);
            if (!startsWithInternationalPrefix || number.CountryCodeSource == PhoneNumber.Types.CountryCodeSource.FROM_NUMBER_WITH_IDD)
            {
                return number;
            }
        }

        // 00 is the international prefix ITU-T recommends and most of the world dials; no national number starts with it.
        return startsWithInternationalPrefix ? Library.Parse("+" + written[InternationalPrefix.Length..], UnknownRegion) : null;
    }

    private static string? NumberProblem(PhoneNumber number, PhoneUse use)
    {
        var plan = $"+{number.CountryCode} ({Library.GetRegionCodeForCountryCode(number.CountryCode)})";
        var possible = Library.IsPossibleNumberWithReason(number);
        if (possible != PhoneNumberUtil.ValidationResult.IS_POSSIBLE)
        {
            return possible switch
            {
                PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY => $"Too short for {plan}: include the area code.",
                PhoneNumberUtil.ValidationResult.TOO_SHORT => $"Too short for {plan}.",
                PhoneNumberUtil.ValidationResult.TOO_LONG => $"Too long for {plan}.",
                PhoneNumberUtil.ValidationResult.INVALID_COUNTRY_CODE => "Unknown country calling code.",
                _ => $"Not a possible length for {plan}.",
            };
        }

        if (!Library.IsValidNumber(number))
        {
            return $"Not a valid number for {plan}: no such number range there.";
        }

        var type = Library.GetNumberType(number);
        if (use == PhoneUse.Texting && type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            return $"{Describe(type)} cannot receive texts: give a mobile number.";
        }

        return null;
    }

    private static string Describe(PhoneNumberType type) => type switch
    {
        PhoneNumberType.FIXED_LINE => "A landline",
        PhoneNumberType.TOLL_FREE => "A toll-free number",
        PhoneNumberType.PREMIUM_RATE => "A premium-rate number",
        PhoneNumberType.SHARED_COST => "A shared-cost number",
        PhoneNumberType.VOIP => "A VoIP number",
        PhoneNumberType.PERSONAL_NUMBER => "A personal (call-forwarding) number",
        PhoneNumberType.PAGER => "A pager number",
        PhoneNumberType.UAN => "A company (UAN) number",
        PhoneNumberType.VOICEMAIL => "A voicemail access number",
        _ => "A number of unknown type",
    };

    /// <summary>An optional +, then digits, spaces, dashes, dots and brackets, ending in a digit.</summary>
    [GeneratedRegex(@"\A\+?[0-9(](?:[0-9 ().-]*[0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex WrittenNumber();
}
