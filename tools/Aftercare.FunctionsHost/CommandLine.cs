using System.Globalization;
using Aftercare.FunctionsHost.App;
using Microsoft.Extensions.Logging;

namespace Aftercare.FunctionsHost;

/// <summary>
/// The console program's arguments: <c>--app &lt;dir&gt;</c> (required), <c>--port &lt;n&gt;</c> (else
/// <c>AFTERCARE_HOST_PORT</c>, else 7071; 0 = a free port), <c>--setting Name=Value</c> (repeatable). App settings are
/// the <c>Values</c> of <c>local.settings.json</c> in the app folder when there is one (as Core Tools reads them, an
/// environment variable of the same name winning), overridden by <c>--setting</c>.
/// </summary>
internal sealed record CommandLine(string AppDirectory, int Port, IReadOnlyDictionary<string, string?> Settings)
{
    public const string PortVariable = "AFTERCARE_HOST_PORT";
    public const int DefaultPort = 7071;

    public const string Usage = "Usage: Aftercare.FunctionsHost --app <worker output folder> [--port <n>] [--setting Name=Value]...";

    /// <exception cref="ArgumentException">A missing or malformed argument.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? app = null;
        var port = int.TryParse(Environment.GetEnvironmentVariable(PortVariable), CultureInfo.InvariantCulture, out var fromEnvironment) ? fromEnvironment : DefaultPort;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var given = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--app":
                    app = Path.GetFullPath(value);
                    break;
                case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 65535:
                    port = parsed;
                    break;
                case "--setting" when value.IndexOf('=', StringComparison.Ordinal) > 0:
                    var at = value.IndexOf('=', StringComparison.Ordinal);
                    given.Add(new(value[..at], value[(at + 1)..]));
                    break;
                default:
                    throw new ArgumentException($"Unknown or malformed argument '{args[i]} {value}'.");
            }

            i++;
        }

        if (app is null)
        {
            throw new ArgumentException("--app is required.");
        }

        // As Core Tools does, a variable already in the environment wins over local.settings.json ("Skipping '…' from
        // local.settings.json as it's already defined in current environment variables").
        foreach (var (name, value) in LocalSettings(app))
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                settings[name] = value;
            }
        }

        foreach (var (name, value) in given)
        {
            settings[name] = value;
        }

        return new CommandLine(app, port, settings);
    }

    public FunctionsHostOptions ToOptions(ILoggerFactory loggerFactory) => new()
    {
        AppDirectory = AppDirectory,
        HttpPort = Port,
        AppSettings = Settings,
        LoggerFactory = loggerFactory,
    };

    private static IEnumerable<KeyValuePair<string, string?>> LocalSettings(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "local.settings.json");
        if (!File.Exists(path))
        {
            yield break;
        }

        using var document = JsonFile.Parse(path);
        if (JsonFile.TryGetProperty(document.RootElement, "Values", out var values) && values.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            foreach (var property in values.EnumerateObject())
            {
                yield return new(property.Name, property.Value.ValueKind == System.Text.Json.JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText());
            }
        }
    }
}
