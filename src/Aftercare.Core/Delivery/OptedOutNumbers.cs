namespace Aftercare.Core.Delivery;

/// <summary>
/// The numbers opted out of one clinic's texts as read at one moment (<see cref="IOptOutStore.ListOptedOutAsync"/>),
/// held as look-up keys (keyed hashes, never numbers). A snapshot: a STOP recorded after the read is not in it.
/// </summary>
/// <param name="keys">The look-up keys of the opted-out numbers.</param>
/// <param name="keyOf">How a number becomes its look-up key.</param>
public sealed class OptedOutNumbers(IReadOnlySet<string> keys, Func<string, string> keyOf)
{
    /// <summary>Whether <paramref name="phone"/> (canonical E.164) was opted out when the snapshot was read.</summary>
    public bool Contains(string phone) => phone.Length > 0 && keys.Contains(keyOf(phone));
}
