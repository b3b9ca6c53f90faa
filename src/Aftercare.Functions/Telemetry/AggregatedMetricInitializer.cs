using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Clears the operation of pre-aggregated metrics (<c>TelemetryClient.GetMetric</c>). Their aggregates are sent once a
/// minute from a background thread that inherited the ambient <see cref="System.Diagnostics.Activity"/> of whichever
/// invocation first created the metric, so every later aggregate would carry that one invocation's operation id. A
/// metric summarises many invocations: it belongs to none.
/// </summary>
internal sealed class AggregatedMetricInitializer : ITelemetryInitializer
{
    public void Initialize(ITelemetry telemetry)
    {
        if (telemetry is MetricTelemetry)
        {
            telemetry.Context.Operation.Id = null;
            telemetry.Context.Operation.ParentId = null;
            telemetry.Context.Operation.Name = null;
        }
    }
}
