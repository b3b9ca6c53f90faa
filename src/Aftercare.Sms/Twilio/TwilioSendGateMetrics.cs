using System.Diagnostics.Metrics;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The <see cref="TwilioSendGate"/>'s instruments on the <see cref="TwilioSendGate.MeterName"/> meter: how long sends
/// waited at the gate, the 429 pauses and their length, and the ceiling in force. Counts and durations only.
/// </summary>
internal sealed class TwilioSendGateMetrics : IDisposable
{
    private readonly Meter _meter = new(TwilioSendGate.MeterName);
    private readonly Histogram<double> _wait;
    private readonly Counter<long> _pauses;
    private readonly Histogram<double> _pauseLength;

    public TwilioSendGateMetrics(TwilioSendGate gate)
    {
        _wait = _meter.CreateHistogram<double>("aftercare.twilio.send_gate.wait", "ms", "Time a Twilio create waited at the send gate (429 pause and ceiling).");
        _pauses = _meter.CreateCounter<long>("aftercare.twilio.rate_limited.pauses", description: "429 episodes that paused every send in the instance.");
        _pauseLength = _meter.CreateHistogram<double>("aftercare.twilio.rate_limited.pause", "ms", "Length of each 429 pause.");
        _meter.CreateObservableGauge("aftercare.twilio.send_gate.ceiling", () => gate.Ceiling, "{create}/s", "Twilio creates per second allowed now.");
    }

    public void Waited(TimeSpan wait) => _wait.Record(wait.TotalMilliseconds);

    public void Paused(TimeSpan pause)
    {
        _pauses.Add(1);
        _pauseLength.Record(pause.TotalMilliseconds);
    }

    public void Dispose() => _meter.Dispose();
}
