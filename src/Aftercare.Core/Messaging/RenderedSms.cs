namespace Aftercare.Core.Messaging;

/// <summary>A text ready to send, with the locale it was written in and what it costs.</summary>
public sealed record RenderedSms(string Text, string Locale, SmsEncoding Encoding, int Segments);
