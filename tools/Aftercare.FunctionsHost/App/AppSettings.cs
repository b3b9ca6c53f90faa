using System.Text.RegularExpressions;

namespace Aftercare.FunctionsHost.App;

/// <summary>
/// The app settings the worker sees as environment variables (the host's own environment, overlaid with the
/// configured settings), and the lookups the host makes in them.
/// </summary>
internal sealed partial class AppSettings
{
    private readonly Dictionary<string, string> _values;

    public AppSettings(IReadOnlyDictionary<string, string?> configured)
    {
        _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            _values[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        Configured = configured;
        foreach (var (name, value) in configured)
        {
            if (value is null)
            {
                _values.Remove(name);
            }
            else
            {
                _values[name] = value;
            }
        }
    }

    /// <summary>The settings given to the host, to be set as environment variables of a launched worker.</summary>
    public IReadOnlyDictionary<string, string?> Configured { get; }

    /// <summary>
    /// A setting by name. A configuration-style name (<c>Section:Key</c>, as a binding expression writes it) also finds
    /// the app setting <c>Section__Key</c>, as the real host's configuration maps environment variables.
    /// </summary>
    public string? this[string name] =>
        _values.TryGetValue(name, out var value)
        || (name.Contains(':', StringComparison.Ordinal) && _values.TryGetValue(name.Replace(":", "__", StringComparison.Ordinal), out value))
            ? value
            : null;

    /// <summary>
    /// Azure's documented switch <c>AzureWebJobs.&lt;FunctionName&gt;.Disabled</c>
    /// (https://learn.microsoft.com/azure/azure-functions/disable-function): <c>true</c> or <c>1</c>.
    /// </summary>
    public bool IsFunctionDisabled(string functionName)
    {
        var value = this[$"AzureWebJobs.{functionName}.Disabled"]?.Trim();
        return value is not null && (bool.TryParse(value, out var disabled) ? disabled : value == "1");
    }

    /// <summary>
    /// Replaces every <c>%Name%</c> with that setting, as the WebJobs name resolver's ResolveWholeString does for a
    /// timer's schedule.
    /// </summary>
    /// <exception cref="InvalidOperationException">A named setting does not exist.</exception>
    public string ResolveWholeString(string expression) =>
        SettingReference().Replace(expression, match =>
        {
            var name = match.Groups["name"].Value;
            return this[name] ?? throw new InvalidOperationException($"App setting '{name}' is not set.");
        });

    [GeneratedRegex("%(?<name>[^%]+)%")]
    private static partial Regex SettingReference();
}
