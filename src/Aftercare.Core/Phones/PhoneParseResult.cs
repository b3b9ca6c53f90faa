using System.Diagnostics.CodeAnalysis;

namespace Aftercare.Core.Phones;

/// <summary>
/// What <see cref="CanonicalPhone.Parse"/> made of a number: its canonical E.164 form, or the reason it was refused.
/// The reason is written for the caller who sent the number and never repeats it, so it may be logged.
/// </summary>
public readonly record struct PhoneParseResult
{
    private PhoneParseResult(string? e164, string? refusal)
    {
        E164 = e164;
        Refusal = refusal;
    }

    /// <summary>The number as <c>+</c>, the country calling code and the national number, digits only (ITU-T E.164).</summary>
    public string? E164 { get; }

    /// <summary>Why the number was refused, e.g. "Too long for +44 (GB)."; null when accepted.</summary>
    public string? Refusal { get; }

    [MemberNotNullWhen(true, nameof(E164))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => E164 is not null;

    public static PhoneParseResult Accepted(string e164) => new(e164, null);

    public static PhoneParseResult Refused(string reason) => new(null, reason);
}
