namespace Aftercare.Testing;

/// <summary>A message the stand-in created, as Twilio would hold it.</summary>
public sealed record TwilioStandInMessage(
    string Sid,
    string AccountSid,
    string To,
    string? From,
    string? MessagingServiceSid,
    string Body,
    string? StatusCallback,
    DateTimeOffset DateCreated);

/// <summary>One create request the stand-in received, and the fault it applied.</summary>
public sealed record TwilioStandInRequest(int Number, string? To, TwilioStandInFault Fault);
