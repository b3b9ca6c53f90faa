namespace Aftercare.Testing;

/// <summary>What the Twilio stand-in does to one create request instead of (or after) answering normally.</summary>
public enum TwilioStandInFault
{
    /// <summary>Creates the message and answers 201.</summary>
    None,

    /// <summary>429 with Retry-After; nothing is created.</summary>
    RateLimited,

    /// <summary>Creates the message, then answers 500: the client cannot know it was created.</summary>
    ServerErrorAfterCreate,

    /// <summary>Creates the message, then never answers (until the client gives up and closes the connection).</summary>
    HangAfterCreate,

    /// <summary>Aborts the connection without creating anything.</summary>
    DropBeforeCreate,

    /// <summary>400 with Twilio code 21610 (the recipient replied STOP); nothing is created.</summary>
    Unsubscribed,

    /// <summary>400 with Twilio code 21211 (invalid 'To' number); nothing is created.</summary>
    InvalidNumber,

    /// <summary>400 with Twilio code 21614 ('To' number is not a mobile number); nothing is created.</summary>
    NotMobile,
}
