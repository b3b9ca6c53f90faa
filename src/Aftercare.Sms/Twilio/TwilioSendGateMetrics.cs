using System.Diagnostics.Metrics;

namespace Aftercare.Sms.Twilio;

/// <summary>
/// The <see cref="TwilioSendGate"/>'s instruments on the <see cref="TwilioSendGate.MeterName"/> meter: how long sends
/// waited at the gate, the 429 pauses and their length, and the ceiling in force. Counts and durations only, no tags.
/// A meter from an <see cref="IMeterFactory"/> belongs to the factory, which disposes it; one created here is disposed here.
/// </summary>
internal sealed class TwilioSendGateMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _wait;
    private readonly Counter<long> _pauses;
    private readonly Histogram<double> _pauseLength;

    public TwilioSendGateMetrics(TwilioSendGate gate, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(TwilioSendGate.MeterName) ?? new Meter(TwilioSendGate.MeterName);
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

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
