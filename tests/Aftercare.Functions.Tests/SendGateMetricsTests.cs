using System.Diagnostics.Metrics;
using System.Text.Json;
using Aftercare.Core.Messaging;
using Aftercare.Functions.Telemetry;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The Twilio send gate's <see cref="System.Diagnostics.Metrics"/> instruments reach Application Insights through
/// <see cref="MeterForwarder"/>: the real SDK client, resilience handler and gate against the Twilio stand-in answering
/// 429, a <see cref="TelemetryClient"/> exporting to the ingestion stand-in.
/// </summary>
public sealed class SendGateMetricsTests
{
    private const string Phone = "+447400123654";
    private const string Text = "Your skin may feel tight today: moisturise gently.";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_429_pause_arrives_as_the_pause_metric_with_its_length_and_a_lowered_ceiling()
    {
        await using var twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions { RetryAfter = TimeSpan.FromSeconds(1) });
        twilio.EnqueueFaults(TwilioStandInFault.RateLimited);
        await using var forwarding = await Forwarding.StartAsync();
        var (ingestion, meterFactory, sampling) = (forwarding.Ingestion, forwarding.MeterFactory, forwarding.Sampling);

        // A gate outside the forwarder's container (another worker in this process): its 3 s pause must not be counted.
        using var elsewhere = new TwilioSendGate(20, TimeProvider.System);
        elsewhere.RateLimited(TimeSpan.FromSeconds(3));

        var options = new TwilioOptions
        {
            AccountSid = AftercareApp.TwilioAccountSid,
            AuthToken = AftercareApp.TwilioAuthToken,
            BaseUri = twilio.BaseUri,
            MaxSendsPerSecond = 20,
        };
        using var gate = new TwilioSendGate(options.MaxSendsPerSecond, TimeProvider.System, maxPause: options.Resilience.RetryMaxDelay, meterFactory: meterFactory);
        var sender = new TwilioSmsSender(
            TwilioRestClientFactory.Create(options, TimeProvider.System, sendGate: gate), options, NullLogger<TwilioSmsSender>.Instance);

        // The first attempt is answered 429 with Retry-After 1 s: the gate pauses, the retry waits it out and is created.
        var sent = await sender.SendAsync(new SmsRequest(Phone, "+15005550006", null, Text, null), CancellationToken.None);
        Assert.Equal(SmsOutcome.Accepted, sent.Outcome);
        Assert.Equal(2, twilio.CreateRequests.Count);
        sampling.Advance(MeterForwarder.SampleInterval);

        Task Flush() => forwarding.Telemetry.FlushAsync(CancellationToken.None);
        var pause = await WaitForMetricAsync(ingestion, "aftercare.twilio.rate_limited.pause", Flush);
        Assert.Equal((1, 1000.0), (pause.Count, pause.Value));
        var pauses = await WaitForMetricAsync(ingestion, "aftercare.twilio.rate_limited.pauses", Flush);
        Assert.Equal((1, 1.0), (pauses.Count, pauses.Value));
        var ceiling = await WaitForMetricAsync(ingestion, "aftercare.twilio.send_gate.ceiling", Flush);
        Assert.InRange(ceiling.Max, 10, 19); // Halved by the 429, maybe one step back up since; below the configured 20.
        var waits = await WaitForMetricAsync(ingestion, "aftercare.twilio.send_gate.wait", Flush);
        Assert.Equal(2, waits.Count); // One per attempt.

        // Nothing but the aggregate: no dimension, so no number or text, in anything sent.
        Assert.All(Metrics(ingestion), metric => Assert.All(metric.Properties, name => Assert.StartsWith("_MS.", name, StringComparison.Ordinal)));
        var everything = string.Join('\n', ingestion.Bodies);
        Assert.DoesNotContain(Phone[1..], everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Text[..20], everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gauge_is_read_on_each_sample()
    {
        await using var forwarding = await Forwarding.StartAsync();
        var (ingestion, meterFactory, sampling) = (forwarding.Ingestion, forwarding.MeterFactory, forwarding.Sampling);
        using var gate = new TwilioSendGate(8, TimeProvider.System, meterFactory: meterFactory);

        sampling.Advance(MeterForwarder.SampleInterval);
        gate.RateLimited(retryAfter: null);
        sampling.Advance(MeterForwarder.SampleInterval);

        var ceiling = await WaitForMetricAsync(ingestion, "aftercare.twilio.send_gate.ceiling", () => forwarding.Telemetry.FlushAsync(CancellationToken.None));
        Assert.Equal((2, 4.0, 8.0), (ceiling.Count, ceiling.Min, ceiling.Max));
    }

    /// <summary>A <see cref="MeterForwarder"/> over its own meter factory, into a client exporting to the ingestion stand-in; gauges sampled on a fake clock.</summary>
    private sealed class Forwarding : IAsyncDisposable
    {
        private readonly TelemetryConfiguration _configuration;
        private readonly ServiceProvider _meters;
        private readonly MeterForwarder _forwarder;

        private Forwarding(IngestionStandIn ingestion)
        {
            Ingestion = ingestion;
            _configuration = new TelemetryConfiguration { ConnectionString = ingestion.ConnectionString };
            Telemetry = new TelemetryClient(_configuration);
            _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
            MeterFactory = _meters.GetRequiredService<IMeterFactory>();
            _forwarder = new MeterForwarder(Telemetry, MeterFactory, Sampling);
        }

        public IngestionStandIn Ingestion { get; }

        public TelemetryClient Telemetry { get; }

        public IMeterFactory MeterFactory { get; }

        public FakeTimeProvider Sampling { get; } = new();

        public static async Task<Forwarding> StartAsync()
        {
            var forwarding = new Forwarding(await IngestionStandIn.StartAsync());
            await forwarding._forwarder.StartAsync(CancellationToken.None);
            return forwarding;
        }

        public async ValueTask DisposeAsync()
        {
            _forwarder.Dispose();
            await _meters.DisposeAsync();
            _configuration.Dispose();
            await Ingestion.DisposeAsync();
        }
    }

    private static async Task<Aggregate> WaitForMetricAsync(IngestionStandIn ingestion, string name, Func<Task> flush)
    {
        await ingestion.WaitForAsync(item => Aggregate.Of(item)?.Name == name, Deadline, flush);
        // Aggregates of the same metric from more than one minute are added up (a minute may have turned in between).
        var all = Metrics(ingestion).Where(m => m.Name == name).ToList();
        return new Aggregate(name, all.Sum(m => m.Count), all.Sum(m => m.Value), all.Min(m => m.Min), all.Max(m => m.Max), []);
    }

    private static IEnumerable<Aggregate> Metrics(IngestionStandIn ingestion) =>
        ingestion.Items.Select(Aggregate.Of).OfType<Aggregate>();

    /// <summary>One pre-aggregated metric as ingestion receives it: <c>baseData.metrics[0]</c> and the property names.</summary>
    private sealed record Aggregate(string Name, int Count, double Value, double Min, double Max, IReadOnlyList<string> Properties)
    {
        public static Aggregate? Of(TelemetryItem item)
        {
            if (item.BaseType != "MetricData")
            {
                return null;
            }

            var point = item.BaseData.GetProperty("metrics")[0];
            var properties = item.BaseData.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                ? p.EnumerateObject().Select(property => property.Name).ToList()
                : [];
            return new Aggregate(
                point.GetProperty("name").GetString()!,
                point.TryGetProperty("count", out var count) ? count.GetInt32() : 1,
                point.GetProperty("value").GetDouble(),
                point.TryGetProperty("min", out var min) ? min.GetDouble() : point.GetProperty("value").GetDouble(),
                point.TryGetProperty("max", out var max) ? max.GetDouble() : point.GetProperty("value").GetDouble(),
                properties);
        }
    }
}
