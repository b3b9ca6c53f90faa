namespace Aftercare.Core.Messaging;

public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit alphabet: 160 characters in one segment, 153 per segment when split.</summary>
    Gsm7,

    /// <summary>UCS-2 for anything outside GSM-7: 70 characters in one segment, 67 per segment when split.</summary>
    Ucs2,
}
