namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// The pause after a poll, as the queue listener of Microsoft.Azure.WebJobs.Extensions.Storage.Queues takes it: none
/// after a poll that found messages (the listener only waits for <c>newBatchThreshold</c>); after an empty poll the
/// RandomizedExponentialBackoffStrategy's delay, which is the minimum (100 ms) if a message arrived since the last
/// pause, and otherwise grows as minimum + minimum × 2^(n−1) × a random factor in [0.8, 1.2), up to <c>maxPollingInterval</c>.
/// </summary>
internal sealed class PollingBackoff(TimeSpan minimum, TimeSpan maximum)
{
    private const double RandomizationFactor = 0.2;

    private TimeSpan _current = TimeSpan.Zero;
    private int _exponent;
    private bool _foundSinceLastPause = true;

    public TimeSpan Next(bool foundMessages)
    {
        if (foundMessages)
        {
            _foundSinceLastPause = true;
            return TimeSpan.Zero;
        }

        if (_foundSinceLastPause)
        {
            _foundSinceLastPause = false;
            _exponent = 1;
            _current = minimum;
        }
        else if (_current < maximum)
        {
            var factor = 1 - RandomizationFactor + (Random.Shared.NextDouble() * 2 * RandomizationFactor);
            var grown = minimum + (minimum * factor * Math.Pow(2, _exponent - 1));
            _current = grown < maximum ? grown : maximum;
            _exponent++;
        }

        return _current;
    }
}
