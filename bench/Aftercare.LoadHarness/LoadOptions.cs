using System.Globalization;
using Aftercare.FunctionsHost.ColdStart;

namespace Aftercare.LoadHarness;

/// <summary>
/// The harness's command line: <c>--app &lt;worker output&gt; [--texts 1600] [--burst 10000] [--latency-ms 200]
/// [--registrations 20] [--parts roundtrips,throughput,burst,coldstart] [--max-sends-per-second 1000] [--empty &lt;worker output&gt;]
/// [--pairs 10]</c>. <c>--max-sends-per-second</c> is each worker's Twilio send ceiling
/// (<c>Aftercare__Twilio__MaxSendsPerSecond</c>; here 1000 unless given, where production's default is 25): above
/// in-flight ÷ latency it measures the drain itself, at or below it the ceiling. <c>--empty</c> and <c>--pairs</c> are the cold-start part's (<see cref="ColdStartPart"/>).
/// </summary>
internal sealed record LoadOptions(string AppDirectory, int Texts, int Burst, TimeSpan Latency, int Registrations, IReadOnlySet<string> Parts, int MaxSendsPerSecond)
{
    /// <summary>The empty isolated worker the cold-start part compares the app with; by default its Release build.</summary>
    public string EmptyDirectory { get; init; } = new ColdStartOptions().EmptyDirectory;

    /// <summary>The cold-start part's alternating pairs.</summary>
    public int Pairs { get; init; } = 10;

    /// <summary>Sends in flight per worker: the dispatcher's MaxParallelism (8), shared by the drains it runs.</summary>
    public int InFlightPerWorker { get; init; } = 8;

    public static LoadOptions Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Number(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var app = Value("--app") ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Aftercare.Functions", "bin", "Release", "net10.0");
        var parts = (Value("--parts") ?? "roundtrips,throughput,burst,coldstart").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new LoadOptions(
            Path.GetFullPath(app),
            Number("--texts", 1600),
            Number("--burst", 10_000),
            TimeSpan.FromMilliseconds(Number("--latency-ms", 200)),
            Number("--registrations", 20),
            parts.ToHashSet(StringComparer.Ordinal),
            Number("--max-sends-per-second", 1000))
        {
            EmptyDirectory = Path.GetFullPath(Value("--empty") ?? new ColdStartOptions().EmptyDirectory),
            Pairs = Number("--pairs", 10),
        };
    }
}
