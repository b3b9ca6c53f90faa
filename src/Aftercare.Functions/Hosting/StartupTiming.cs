using System.Diagnostics;
using System.Globalization;

namespace Aftercare.Functions.Hosting;

/// <summary>
/// Times the worker's start-up steps when the environment variable <see cref="Variable"/> is <c>1</c>, and prints them
/// as one line on standard output (the local host and Azure forward it as worker output): how the cold-start bench
/// (bench/Aftercare.FunctionsHost.ColdStart) finds what start-up spends its time on. Off, it measures nothing.
/// </summary>
internal sealed class StartupTiming
{
    public const string Variable = "AFTERCARE_STARTUP_TIMING";

    private readonly Stopwatch? _clock;
    private readonly List<string> _steps = [];
    private TimeSpan _last;

    private StartupTiming(bool enabled) => _clock = enabled ? Stopwatch.StartNew() : null;

    public static StartupTiming FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable) == "1");

    /// <summary>Ends the step that began at the previous one (or at creation).</summary>
    public void Step(string name)
    {
        if (_clock is null)
        {
            return;
        }

        var now = _clock.Elapsed;
        _steps.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {(now - _last).TotalMilliseconds:F0} ms"));
        _last = now;
    }

    public void Report()
    {
        if (_clock is not null)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Start-up timing: {string.Join(", ", _steps)}; total {_clock.Elapsed.TotalMilliseconds:F0} ms"));
        }
    }
}
