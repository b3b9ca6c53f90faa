using Aftercare.Core.Delivery;
using Aftercare.Sms.Twilio;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>What a test changes about the <see cref="DeliveryRig"/>; the defaults are fast and fault-free.</summary>
public sealed class DeliveryRigOptions
{
    /// <summary>The Retry-After the stand-in sends with a 429.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.Zero;

    /// <summary>Share of create requests the stand-in answers with a random fault (seeded, so a failure replays).</summary>
    public double RandomFaultRate { get; set; }

    /// <summary>Azure.Core retries per storage call; an outage test keeps this low so a dead Azurite fails fast.</summary>
    public int StorageRetries { get; set; } = 2;

    public Action<TwilioOptions>? Twilio { get; set; }

    public Action<DispatchOptions>? Dispatch { get; set; }
}
