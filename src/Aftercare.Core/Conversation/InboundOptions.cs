namespace Aftercare.Core.Conversation;

/// <summary>How replies are answered; which keyword answers Twilio sends itself depends on the account.</summary>
public sealed record InboundOptions
{
    /// <summary>
    /// True when Twilio answers HELP on the clinics' senders itself (its default keyword handling on US and Canadian
    /// long codes and toll-free numbers, or a Messaging Service's Advanced Opt-Out with a HELP message): then HELP gets
    /// no second answer from us. False (the default): we answer HELP with the clinic's contact. A webhook that carries
    /// <c>OptOutType</c> was answered by Twilio already and is never answered here, whatever this says. STOP and START
    /// are never answered here: Twilio confirms them itself (Twilio, "Twilio support for opt-out keywords").
    /// </summary>
    public bool TwilioAnswersHelp { get; init; }
}
