namespace Aftercare.Core.Privacy;

/// <summary>
/// Masks a phone number for logs and telemetry: "+15551234567" becomes "+1******4567". Enough is left to tell
/// numbers apart while debugging (country digit, last four), never enough to text someone.
/// </summary>
public static class PhoneMask
{
    private const int KeptTail = 4;

    // The country digit and the last four, with at least three digits hidden between them.
    private const int MinimumDigits = 1 + 3 + KeptTail;

    private const int MaximumDigits = 15;

    /// <summary>Masks an E.164 number; anything shorter or stranger is masked entirely.</summary>
    public static string Mask(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return string.Empty;
        }

        var digits = phone.Length - 1;
        if (phone[0] != '+' || digits is < MinimumDigits or > MaximumDigits || phone.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return new string('*', phone.Length);
        }

        return string.Create(phone.Length, phone, static (span, source) =>
        {
            span.Fill('*');
            span[0] = '+';
            span[1] = source[1];
            source.AsSpan(source.Length - KeptTail).CopyTo(span[^KeptTail..]);
        });
    }
}
