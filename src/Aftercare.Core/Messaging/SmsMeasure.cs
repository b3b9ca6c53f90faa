namespace Aftercare.Core.Messaging;

/// <summary>
/// What a text costs: its encoding, its length in that encoding's units (GSM-7 septets, counting an extension
/// character as two; or UTF-16 code units for UCS-2), and the number of SMS segments it is billed as.
/// </summary>
public sealed record SmsMeasure(SmsEncoding Encoding, int Units, int Segments);
