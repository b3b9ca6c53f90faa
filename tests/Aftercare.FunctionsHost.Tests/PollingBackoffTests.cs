using Aftercare.FunctionsHost.Queues;

namespace Aftercare.FunctionsHost.Tests;

public sealed class PollingBackoffTests
{
    private static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Maximum = TimeSpan.FromSeconds(5);

    [Fact]
    public void Empty_polls_back_off_from_the_minimum_up_to_the_maximum_and_a_message_resets_the_pause()
    {
        var backoff = new PollingBackoff(Minimum, Maximum);

        var pauses = Enumerable.Range(0, 20).Select(_ => backoff.Next(foundMessages: false)).ToList();

        Assert.Equal(Minimum, pauses[0]);
        Assert.All(pauses.Zip(pauses.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"{pair.Second} < {pair.First}"));
        Assert.True(pauses[1] > Minimum);
        Assert.Equal(Maximum, pauses[^1]);
        Assert.Equal(TimeSpan.Zero, backoff.Next(foundMessages: true));
        Assert.Equal(Minimum, backoff.Next(foundMessages: false));
    }
}
