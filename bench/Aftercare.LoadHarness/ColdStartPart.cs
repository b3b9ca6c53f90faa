using Aftercare.FunctionsHost.ColdStart;

namespace Aftercare.LoadHarness;

/// <summary>
/// The harness's <c>coldstart</c> part: the cold-start bench's measurement (<see cref="ColdStartBench"/>) of the app in
/// <c>--app</c> against the empty worker in <c>--empty</c>, <c>--pairs</c> alternating pairs, with an Azurite of its own
/// (the load parts' storage and workers are not involved).
/// </summary>
internal static class ColdStartPart
{
    /// <summary>Checks both worker outputs before any part runs, so a missing build fails the run at once.</summary>
    /// <exception cref="InvalidOperationException">A worker output is missing; the message names the build that makes it.</exception>
    public static void EnsureBuilt(LoadOptions options) => Options(options).EnsureBuilt();

    public static async Task<ColdStartSummary> RunAsync(LoadOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"cold start, {options.Pairs} alternating pairs: app {options.AppDirectory} against empty worker {options.EmptyDirectory}:");
        return await ColdStartBench.RunAsync(Options(options), output, cancellationToken);
    }

    private static ColdStartOptions Options(LoadOptions options) =>
        new() { AppDirectory = options.AppDirectory, EmptyDirectory = options.EmptyDirectory, Pairs = options.Pairs };
}
