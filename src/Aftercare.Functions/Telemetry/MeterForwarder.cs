using System.Diagnostics.Metrics;
using Aftercare.Sms.Twilio;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Hosting;

namespace Aftercare.Functions.Telemetry;

/// <summary>
/// Forwards the app's own <see cref="System.Diagnostics.Metrics"/> instruments to Application Insights as
/// pre-aggregated metrics (<see cref="TelemetryClient.GetMetric(string)"/>, sent once a minute as <c>customMetrics</c>):
/// the Worker Service SDK (2.x) does not collect <see cref="Meter"/>s, and the packages the worker stands on offer no
/// bridge. A <see cref="MeterListener"/> takes the instruments of the meters in <see cref="ForwardedMeters"/> that this
/// container's <see cref="IMeterFactory"/> created (so a second worker in the same process, as in tests, is not counted
/// twice) and tracks each measurement under the instrument's own name, the name the Azure Monitor OpenTelemetry
/// exporter would send it under. Observable instruments (gauges) are sampled every <see cref="SampleInterval"/>.
/// Tags are not forwarded: a metric's only dimension is none, so no number or text can reach one.
/// </summary>
internal sealed class MeterForwarder(TelemetryClient telemetry, IMeterFactory meterFactory, TimeProvider timeProvider) : IHostedService, IDisposable
{
    /// <summary>The meters forwarded: the Twilio send gate's (<see cref="TwilioSendGate.MeterName"/>).</summary>
    public static readonly IReadOnlySet<string> ForwardedMeters = new HashSet<string>(StringComparer.Ordinal) { TwilioSendGate.MeterName };

    /// <summary>How often gauges are read: six samples in each minute's aggregate.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(10);

    private readonly MeterListener _listener = new();
    private ITimer? _sampling;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && ForwardedMeters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument, telemetry.GetMetric(instrument.Name));
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, metric) => Track(metric, value));
        _listener.SetMeasurementEventCallback<int>((_, value, _, metric) => Track(metric, value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, metric) => Track(metric, value));
        _listener.Start();
        _sampling = timeProvider.CreateTimer(static state => ((MeterListener)state!).RecordObservableInstruments(), _listener, SampleInterval, SampleInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _sampling?.Dispose();
        _listener.Dispose();
    }

    private static void Track(object? metric, double value) => ((Metric)metric!).TrackValue(value);
}
