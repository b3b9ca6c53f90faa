using System.Globalization;

namespace Aftercare.FunctionsHost.ColdStart;

/// <summary>
/// The measured pairs of a cold-start comparison and what the README reports from them: each app's median and p90 of the
/// first HTTP 200 (nearest rank, milliseconds from the host's start), their ratio, and the median of each start-up step
/// the app timed.
/// </summary>
public sealed record ColdStartSummary(IReadOnlyList<ColdStartRun> App, IReadOnlyList<ColdStartRun> Empty, string Path)
{
    /// <summary>
    /// What start-up no longer waits for one after another (src/Aftercare.Functions/Hosting/AftercareWorker.cs
    /// <c>BuildAsync</c>, src/Aftercare.Sms/Twilio/TwilioSdkWarmUp.cs); the step timings show what is left on the path.
    /// </summary>
    public static readonly IReadOnlyList<string> MovedOffCriticalPath =
    [
        "the Twilio SDK warm-up (its first Message parse, ~0.4 s): started in the background when the SMS client is built, not awaited",
        "plans, triage rules, the SMS client and the table check (one query, creates only what is missing): side by side on the thread pool after the privacy keys, so start-up waits for the longest, not their sum",
    ];

    public double AppMedianMs => Percentile(App.Select(r => r.FirstOkMs), 0.5);

    public double EmptyMedianMs => Percentile(Empty.Select(r => r.FirstOkMs), 0.5);

    /// <summary>Median app ÷ median empty worker, first 200; the target is ≤ 1.3.</summary>
    public double Ratio => AppMedianMs / EmptyMedianMs;

    /// <summary>The median of each step of the app's start-up timing lines, in the order the app prints them (empty when it printed none).</summary>
    public IReadOnlyList<(string Step, double MedianMs)> StartupStepMedians()
    {
        var steps = App.Where(r => r.StartupTiming is not null).Select(r => ParseSteps(r.StartupTiming!)).ToList();
        return steps.Count == 0
            ? []
            : steps[0].Select(s => s.Step).Select(name => (name, Percentile(steps.SelectMany(run => run).Where(s => s.Step == name).Select(s => s.Ms), 0.5))).ToList();
    }

    /// <summary>The summary lines, as both entry points print them.</summary>
    public IEnumerable<string> Describe()
    {
        yield return Invariant($"app   ({App[0].Functions} functions): first 200 median {AppMedianMs:F0} ms, p90 {Percentile(App.Select(r => r.FirstOkMs), 0.9):F0} ms; worker ready median {Percentile(App.Select(r => r.WorkerReadyMs), 0.5):F0} ms");
        yield return Invariant($"empty ({Empty[0].Functions} function):  first 200 median {EmptyMedianMs:F0} ms, p90 {Percentile(Empty.Select(r => r.FirstOkMs), 0.9):F0} ms; worker ready median {Percentile(Empty.Select(r => r.WorkerReadyMs), 0.5):F0} ms");
        yield return Invariant($"cold start ratio (median app / median empty, first 200 from {Path}): {Ratio:F2} over {App.Count} pairs");
        // Only when the app printed its steps: then it is Aftercare's worker, not a build compared with another.
        if (StartupStepMedians() is { Count: > 0 } steps)
        {
            yield return "app start-up steps (medians, each from the end of the one before): " + string.Join(", ", steps.Select(s => Invariant($"{s.Step} {s.MedianMs:F0} ms")));
            yield return "moved off the start-up path:";
            foreach (var moved in MovedOffCriticalPath)
            {
                yield return "  - " + moved;
            }
        }
    }

    /// <summary>One pair's line: each app's first 200 and worker ready, and their ratio.</summary>
    public static string DescribePair(int pair, ColdStartRun app, ColdStartRun empty)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(empty);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"pair {pair,2}: app first 200 {app.FirstOkMs,6:F0} ms (ready {app.WorkerReadyMs,6:F0}), " +
            $"empty first 200 {empty.FirstOkMs,6:F0} ms (ready {empty.WorkerReadyMs,6:F0}), ratio {app.FirstOkMs / empty.FirstOkMs:F2}");
    }

    // "build 120 ms, privacy keys 40 ms, …; total 900 ms" → (build, 120), (privacy keys, 40), …, (total, 900).
    private static List<(string Step, double Ms)> ParseSteps(string line) =>
        line.Split([", ", "; "], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Trim().Split(' '))
            .Where(words => words.Length >= 3 && words[^1] == "ms")
            .Select(words => (string.Join(' ', words[..^2]), double.Parse(words[^2], CultureInfo.InvariantCulture)))
            .ToList();

    // Nearest-rank percentile.
    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
