using System.Text.Json;
using System.Text.RegularExpressions;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The functions the build declares to the host (<c>functions.metadata</c>, what the Functions host indexes) are exactly
/// the README's function table: name, trigger, method, route and auth level. And the host configuration is the isolated
/// worker's, from the repository root's host.json.
/// </summary>
public sealed partial class FunctionMetadataTests
{
    /// <summary>How many functions the app has: the README's table, the build and the published package must all agree.</summary>
    internal const int FunctionCount = 20;

    private static readonly string AppDirectory = RepositoryPaths.FunctionsAppDirectory;

    [Fact]
    public void The_built_functions_are_exactly_the_readme_function_table()
    {
        var built = BuiltFunctions(AppDirectory).Order(StringComparer.Ordinal).ToList();
        var documented = DocumentedFunctions().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(FunctionCount, built.Count);
        Assert.Equal(documented, built);
    }

    [Fact]
    public void Http_routes_avoid_the_hosts_reserved_prefixes_and_the_timers_read_their_schedules_from_app_settings()
    {
        foreach (var function in Metadata(AppDirectory))
        {
            var trigger = Trigger(function);
            switch (trigger.GetProperty("type").GetString())
            {
                case "httpTrigger":
                    var route = trigger.GetProperty("route").GetString()!;
                    Assert.False(route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), $"{route}: the Functions host reserves routes starting with 'admin'");
                    Assert.False(route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), $"{route}: the Functions host reserves routes starting with 'runtime'");
                    break;
                case "timerTrigger":
                    var expected = function.GetProperty("name").GetString() switch
                    {
                        "DispatchDueMessages" => "%Aftercare:Dispatch:Schedule%",
                        "DeliverClinicAlerts" => "%Aftercare:Alerts:Schedule%",
                        "EraseExpiredClientData" => "%Aftercare:Privacy:RetentionSchedule%",
                        var other => $"{other}: an unexpected timer",
                    };
                    Assert.Equal(expected, trigger.GetProperty("schedule").GetString());
                    break;
                case "queueTrigger":
                    // A literal queue name: a %setting% the deployment forgot would stop the host indexing the function.
                    Assert.Equal("DrainDispatchShard", function.GetProperty("name").GetString());
                    Assert.Equal("aftercare-dispatch", trigger.GetProperty("queueName").GetString());
                    break;
                default:
                    Assert.Fail($"{function.GetProperty("name")}: unexpected trigger");
                    break;
            }
        }
    }

    [Fact]
    public void Host_json_is_the_isolated_workers_and_ships_beside_it()
    {
        var root = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "host.json"));
        using var json = JsonDocument.Parse(root);
        Assert.Equal("2.0", json.RootElement.GetProperty("version").GetString());
        Assert.False(json.RootElement.TryGetProperty("customHandler", out _), "an isolated worker has no custom handler section");
        Assert.False(json.RootElement.TryGetProperty("extensionBundle", out _), "an isolated worker brings its extensions in its build, not a bundle");
        Assert.Equal("api", json.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(root, File.ReadAllText(Path.Combine(AppDirectory, "host.json")));

        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppDirectory, "worker.config.json")));
        var description = worker.RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", description.GetProperty("language").GetString());
        Assert.Equal("Aftercare.Functions.dll", description.GetProperty("defaultWorkerPath").GetString());
        Assert.DoesNotContain(
            Directory.EnumerateFiles(RepositoryPaths.Root, "function.json", SearchOption.AllDirectories),
            path => !path.Contains("node_modules", StringComparison.Ordinal));
    }

    /// <summary>
    /// The functions a <c>functions.metadata</c> declares, one line each: "name http METHODS /api/route auth" or "name
    /// timer %schedule%" or "name queue queue-name" (the shape of <see cref="DocumentedFunctions"/>).
    /// </summary>
    internal static IEnumerable<string> BuiltFunctions(string appDirectory) =>
        Metadata(appDirectory).Select(function =>
        {
            var name = function.GetProperty("name").GetString();
            var trigger = Trigger(function);
            return trigger.GetProperty("type").GetString() switch
            {
                "httpTrigger" => string.Join(
                    " ",
                    name,
                    "http",
                    string.Join(",", trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order(StringComparer.Ordinal)),
                    "/api/" + trigger.GetProperty("route").GetString(),
                    trigger.GetProperty("authLevel").GetString()!.ToLowerInvariant()),
                "timerTrigger" => $"{name} timer {trigger.GetProperty("schedule").GetString()}",
                "queueTrigger" => $"{name} queue {trigger.GetProperty("queueName").GetString()}",
                var other => $"{name} {other}",
            };
        });

    /// <summary>Rows of the README's function table, in the same shape as <see cref="BuiltFunctions"/>.</summary>
    internal static IEnumerable<string> DocumentedFunctions()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        foreach (Match row in HttpRow().Matches(readme))
        {
            yield return string.Join(" ", row.Groups["name"].Value, "http", row.Groups["method"].Value, row.Groups["route"].Value, row.Groups["auth"].Value);
        }

        foreach (Match row in TimerRow().Matches(readme))
        {
            yield return $"{row.Groups["name"].Value} timer {row.Groups["schedule"].Value}";
        }

        foreach (Match row in QueueRow().Matches(readme))
        {
            yield return $"{row.Groups["name"].Value} queue {row.Groups["queue"].Value}";
        }
    }

    private static List<JsonElement> Metadata(string appDirectory)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "functions.metadata")));
        return [.. json.RootElement.EnumerateArray().Select(f => f.Clone())];
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z]+)` \| HTTP \| `(?<method>[A-Z]+) (?<route>/api/[^`]+)` \| (?<auth>anonymous|function|admin) \|", RegexOptions.Multiline)]
    private static partial Regex HttpRow();

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z]+)` \| timer \| `(?<schedule>%[A-Za-z:]+%)`", RegexOptions.Multiline)]
    private static partial Regex TimerRow();

    [GeneratedRegex(@"^\| `(?<name>[A-Za-z]+)` \| queue \| `(?<queue>[a-z0-9-]+)`", RegexOptions.Multiline)]
    private static partial Regex QueueRow();
}
