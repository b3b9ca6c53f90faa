using NodaTime;

namespace Aftercare.Core.Delivery;

/// <summary>Numbers that asked a clinic to stop texting them (STOP), or that the provider reports as unsubscribed.</summary>
public interface IOptOutStore
{
    /// <summary>Every number opted out of <paramref name="clinicId"/>'s texts, read now (the dispatcher reads it once a page).</summary>
    Task<OptedOutNumbers> ListOptedOutAsync(string clinicId, CancellationToken cancellationToken);

    Task OptOutAsync(string clinicId, string phone, string source, Instant at, CancellationToken cancellationToken);

    Task OptInAsync(string clinicId, string phone, CancellationToken cancellationToken);
}
