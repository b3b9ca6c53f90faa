using System.Globalization;

namespace Aftercare.Chaos;

/// <summary>The run's parameters, from the command line; each has a default, so a bare run is the run.</summary>
internal sealed record ChaosOptions
{
    public const string Usage =
        "usage: Aftercare.Chaos [--seed 42] [--treatments 200] [--stages 10] [--dispatchers 3] [--kills 10] [--fault-rate 0.15] [--time-limit 600]";

    public int Seed { get; init; } = 42;

    public int Treatments { get; init; } = 200;

    /// <summary>Messages per treatment; one treatment and its messages are written in one transaction (at most 100 rows).</summary>
    public int Stages { get; init; } = 10;

    public int Dispatchers { get; init; } = 3;

    /// <summary>The fewest dispatcher kills a passing run makes.</summary>
    public int Kills { get; init; } = 10;

    /// <summary>Share of Twilio create calls that get a random fault.</summary>
    public double FaultRate { get; init; } = 0.15;

    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromMinutes(10);

    public int Messages => Treatments * Stages;

    /// <exception cref="ArgumentException">An unknown option, a missing value, or a value out of range.</exception>
    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ChaosOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--seed" => options with { Seed = Int(name, value, int.MinValue, int.MaxValue) },
                "--treatments" => options with { Treatments = Int(name, value, 1, 100_000) },
                "--stages" => options with { Stages = Int(name, value, 1, 99) },
                "--dispatchers" => options with { Dispatchers = Int(name, value, 1, 32) },
                "--kills" => options with { Kills = Int(name, value, 0, 10_000) },
                "--fault-rate" => options with { FaultRate = Rate(name, value) },
                "--time-limit" => options with { TimeLimit = TimeSpan.FromSeconds(Int(name, value, 10, 86_400)) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        return options;
    }

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{value}'.");

    private static double Rate(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 1
            ? parsed
            : throw new ArgumentException($"{name} must be a number from 0 to 1, not '{value}'.");
}
