using System.Text.RegularExpressions;
using Aftercare.Functions.Telemetry;
using Aftercare.Testing;
using Microsoft.ApplicationInsights.DataContracts;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The alert rules and the workbook in <c>infra/monitoring.bicep</c> query only names the code emits: a renamed event
/// or metric would otherwise leave an alert that can never fire.
/// </summary>
public sealed partial class TelemetryNamesTests
{
    // Names the platform emits, not our code: the isolated worker's invocation activity (an InProc dependency).
    private static readonly string[] PlatformNames = ["Invoke"];

    [Fact]
    public void Every_event_and_metric_the_alerts_and_workbook_query_is_one_the_code_emits()
    {
        var emitted = EmittedNames();
        var queried = QueriedNames();

        Assert.Contains("MessageSent", emitted);
        Assert.Contains("DispatchDue", emitted);
        Assert.Contains("StatusCallbackReceived", queried);
        Assert.Empty(queried.Except(emitted).Except(PlatformNames));
    }

    [Fact]
    public void Every_alert_and_tile_is_scoped_to_the_aftercare_role_or_to_named_items()
    {
        foreach (var query in Queries())
        {
            Assert.True(
                query.Contains($"cloud_RoleName == \"{CloudRoleInitializer.RoleName}\"", StringComparison.Ordinal) || NamePattern().IsMatch(query) || NameListPattern().IsMatch(query),
                $"Query neither scoped to the role nor to names: {query}");
        }
    }

    [Fact]
    public void A_pre_aggregated_metric_loses_the_operation_it_was_flushed_under_and_other_items_keep_theirs()
    {
        var metric = new MetricTelemetry("DispatchDue", 3);
        metric.Context.Operation.Id = "4bf92f3577b34da6a3ce929d0e0e4736";
        metric.Context.Operation.ParentId = "00f067aa0ba902b7";
        var evt = new EventTelemetry("MessageSent");
        evt.Context.Operation.Id = "4bf92f3577b34da6a3ce929d0e0e4736";

        var initializer = new AggregatedMetricInitializer();
        initializer.Initialize(metric);
        initializer.Initialize(evt);

        Assert.Null(metric.Context.Operation.Id);
        Assert.Null(metric.Context.Operation.ParentId);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", evt.Context.Operation.Id);
    }

    private static HashSet<string> EmittedNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in EmitPattern().Matches(File.ReadAllText(file)))
            {
                names.Add(match.Groups["name"].Value);
            }
        }

        return names;
    }

    private static HashSet<string> QueriedNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in Queries())
        {
            foreach (Match match in NamePattern().Matches(query))
            {
                names.Add(match.Groups["name"].Value);
            }

            foreach (Match list in NameListPattern().Matches(query))
            {
                foreach (Match quoted in QuotedPattern().Matches(list.Groups["names"].Value))
                {
                    names.Add(quoted.Groups["name"].Value);
                }
            }
        }

        return names;
    }

    private static IEnumerable<string> Queries() =>
        QueryPattern().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "monitoring.bicep"))).Select(m => m.Groups["query"].Value);

    [GeneratedRegex(@"(?:TrackEvent|GetMetric)\(""(?<name>[A-Za-z]+)""")]
    private static partial Regex EmitPattern();

    [GeneratedRegex(@"^\s*query: '(?<query>[^']*)'\s*$", RegexOptions.Multiline)]
    private static partial Regex QueryPattern();

    [GeneratedRegex(@"\bname == ""(?<name>[A-Za-z]+)""")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\bname in \((?<names>[^)]*)\)")]
    private static partial Regex NameListPattern();

    [GeneratedRegex(@"""(?<name>[A-Za-z]+)""")]
    private static partial Regex QuotedPattern();
}
