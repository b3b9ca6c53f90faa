namespace Aftercare.Testing;

public sealed class TwilioStandInOptions
{
    /// <summary>The loopback port to listen on; 0 lets the OS pick a free one.</summary>
    public int Port { get; set; }

    /// <summary>
    /// How long each create request takes before it is answered (Twilio's own latency, for load runs); zero answers at
    /// once. The message is recorded when the answer is made, so <see cref="TwilioStandInMessage.DateCreated"/> is then.
    /// </summary>
    public TimeSpan CreateLatency { get; set; }

    /// <summary>The Retry-After sent with a <see cref="TwilioStandInFault.RateLimited"/> answer.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Share (0 to 1) of create requests that get a random fault once the scripted queue is empty.</summary>
    public double RandomFaultRate { get; set; }

    /// <summary>Seed for the random faults, so a chaos run can be replayed.</summary>
    public int RandomSeed { get; set; } = 1;

    /// <summary>The faults random picks from.</summary>
    public IReadOnlyList<TwilioStandInFault> RandomFaults { get; set; } =
    [
        TwilioStandInFault.RateLimited,
        TwilioStandInFault.ServerErrorAfterCreate,
        TwilioStandInFault.HangAfterCreate,
        TwilioStandInFault.DropBeforeCreate,
    ];

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
