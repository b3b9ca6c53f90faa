using System.Diagnostics;

namespace Aftercare.FunctionsHost.Tests;

/// <summary>Polls for a condition with a generous deadline; never a fixed sleep, never an asserted duration.</summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, string waitingFor)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"Still waiting for {waitingFor} after {Deadline}.");
            }

            await Task.Delay(50);
        }
    }

    public static Task<T> GetAsync<T>(Func<T?> probe, string waitingFor)
        where T : class => GetAsync(() => Task.FromResult(probe()), waitingFor);

    public static Task TrueAsync(Func<bool> condition, string waitingFor) =>
        GetAsync(() => condition() ? string.Empty : null, waitingFor);
}
