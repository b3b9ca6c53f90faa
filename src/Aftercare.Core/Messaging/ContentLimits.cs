namespace Aftercare.Core.Messaging;

/// <summary>
/// The longest values the API accepts for what is substituted into a text, measured in <see cref="Units"/> (what they
/// cost in a text once folded, not their characters). Every template — shipped plans at load, a clinic's override when
/// it is saved — is checked to fit <see cref="MaxSegments"/> segments with values this long and the opt-out line
/// (<see cref="MessageTemplates.Validate"/>), so a text built from values within these limits never needs shortening.
/// </summary>
public static class ContentLimits
{
    /// <summary>The client's first name, in <see cref="Units"/>.</summary>
    public const int FirstNameMaxLength = 20;

    /// <summary>The clinic's name, in <see cref="Units"/>.</summary>
    public const int ClinicNameMaxLength = 30;

    /// <summary>The booking link, in characters: it must be GSM-7 basic, where a character is one unit.</summary>
    public const int BookingUrlMaxLength = 40;

    /// <summary>E.164 with its '+': at most 15 digits.</summary>
    public const int ContactPhoneMaxLength = 16;

    /// <summary>Every text handed to the SMS provider fits in this many SMS segments.</summary>
    public const int MaxSegments = 2;

    /// <summary>
    /// The most <paramref name="value"/> can cost in a text: each character after <see cref="SmsText.Normalize"/>
    /// ("…" becomes "...", so it costs 3) counts its GSM-7 septets (1 for the basic table, 2 for an extension character
    /// such as € [ ] { } ~ | ^ \, sent as an escape and a code), or, outside GSM-7, its UTF-16 code units (its cost in
    /// UCS-2; an emoji is 2). Such a value is either sent as written in a UCS-2 text or folded to GSM-7 letters, at most
    /// one septet each (<see cref="MessageRenderer"/>), so it never costs a GSM-7 text more than this.
    /// </summary>
    public static int Units(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var units = 0;
        foreach (var c in SmsText.Normalize(value))
        {
            units += Gsm7Alphabet.Septets(c) ?? 1;
        }

        return units;
    }

    /// <summary>
    /// Null when <paramref name="value"/> costs at most <paramref name="maxUnits"/> <see cref="Units"/>; otherwise the
    /// problem, in words for the API's 400 answer (never the value itself).
    /// </summary>
    public static string? Exceeds(string value, int maxUnits) =>
        Units(value) <= maxUnits
            ? null
            : $"At most {maxUnits} characters as sent in a text, where … counts 3 and each of € [ ] {{ }} ~ | ^ \\ counts 2.";

    /// <summary>
    /// The most units a text may take and be sure of <see cref="MaxSegments"/> segments however its characters fall: two
    /// full segments less one unit, because a split text is never cut inside an extension escape (GSM-7) or a surrogate
    /// pair (UCS-2), which can leave one unit of a segment empty (3GPP TS 23.038; <see cref="SmsText.Measure"/>).
    /// </summary>
    public static int SafeUnits(SmsEncoding encoding) => encoding == SmsEncoding.Gsm7
        ? (MaxSegments * SmsText.Gsm7MultiSegment) - 1
        : (MaxSegments * SmsText.Ucs2MultiSegment) - 1;
}
