namespace Aftercare.Core.Messaging;

/// <summary>
/// The longest values the API accepts for what is substituted into a text. Every shipped template is checked, at plan
/// load, to stay within <see cref="MaxSegments"/> with values this long; lengths are in characters, and the check
/// assumes GSM-7 basic characters (see <see cref="MessageTemplates.LongestValues"/>).
/// </summary>
public static class ContentLimits
{
    public const int FirstNameMaxLength = 20;
    public const int ClinicNameMaxLength = 30;
    public const int BookingUrlMaxLength = 40;

    /// <summary>E.164 with its '+': at most 15 digits.</summary>
    public const int ContactPhoneMaxLength = 16;

    /// <summary>Every rendered text fits in this many SMS segments.</summary>
    public const int MaxSegments = 2;
}
