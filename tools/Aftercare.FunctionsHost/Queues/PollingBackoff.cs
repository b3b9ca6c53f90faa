namespace Aftercare.FunctionsHost.Queues;

/// <summary>
/// The pause before the next poll of a queue, as the WebJobs RandomizedExponentialBackoffStrategy gives it to the queue
/// listener: the minimum (100 ms) after a poll that found messages; after an empty poll roughly twice the last pause
/// (±20 % random, so listeners spread out), never above <c>maxPollingInterval</c>.
/// </summary>
internal sealed class PollingBackoff(TimeSpan minimum, TimeSpan maximum)
{
    private TimeSpan _current = TimeSpan.Zero;

    public TimeSpan Next(bool foundMessages)
    {
        if (foundMessages)
        {
            _current = minimum;
            return TimeSpan.Zero;
        }

        var grown = _current * 2 * (0.8 + (Random.Shared.NextDouble() * 0.4));
        _current = grown > maximum ? maximum : grown < minimum ? minimum : grown;
        return _current;
    }
}
