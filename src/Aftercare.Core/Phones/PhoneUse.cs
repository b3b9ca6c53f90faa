namespace Aftercare.Core.Phones;

/// <summary>What a phone number is for, which decides the kinds of line <see cref="CanonicalPhone"/> accepts.</summary>
public enum PhoneUse
{
    /// <summary>
    /// A client who receives the texts: a mobile line. libphonenumber's <c>MOBILE</c> passes, and so does
    /// <c>FIXED_LINE_OR_MOBILE</c> (North America, Mexico and others, where the number alone cannot tell); every other
    /// type (fixed line, toll-free, premium rate, shared cost, VoIP, personal, pager, UAN, voicemail) is refused, since
    /// Twilio answers 21614 ("not a mobile number") or the text is lost.
    /// </summary>
    Texting,

    /// <summary>Any valid number: a clinic's contact line (a landline is fine), a sender, or a look-up of a stored number.</summary>
    AnyLine,
}
