using System.Globalization;

namespace Aftercare.LoadHarness;

/// <summary>
/// The harness's command line: <c>--app &lt;worker output&gt; [--texts 1600] [--burst 10000] [--latency-ms 200]
/// [--registrations 20] [--parts roundtrips,throughput,burst] [--max-sends-per-second 25]</c>. The last is each worker's
/// Twilio send ceiling (<c>Aftercare__Twilio__MaxSendsPerSecond</c>, default 25): above in-flight ÷ latency it measures
/// the drain itself, at or below it the ceiling.
/// </summary>
internal sealed record LoadOptions(string AppDirectory, int Texts, int Burst, TimeSpan Latency, int Registrations, IReadOnlySet<string> Parts, int MaxSendsPerSecond)
{
    /// <summary>Sends in flight per worker: the dispatcher's MaxParallelism (8), shared by the drains it runs.</summary>
    public int InFlightPerWorker { get; init; } = 8;

    public static LoadOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var app = Value("--app") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Aftercare.Functions", "bin", "Release", "net10.0");
        var parts = (Value("--parts") ?? "roundtrips,throughput,burst").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LoadOptions(
            Path.GetFullPath(app),
            Number("--texts", 1600),
            Number("--burst", 10_000),
            TimeSpan.FromMilliseconds(Number("--latency-ms", 200)),
            Number("--registrations", 20),
            parts.ToHashSet(StringComparer.Ordinal),
            Number("--max-sends-per-second", 25));
    }
}
