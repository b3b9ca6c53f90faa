using Aftercare.Core.Clinics;
using Aftercare.Core.Messaging;
using Aftercare.Core.Plans;
using Aftercare.Core.Scheduling;
using BenchmarkDotNet.Attributes;
using NodaTime;

namespace Aftercare.Benchmarks;

/// <summary>The per-registration content work: scheduling a plan and rendering its texts, and measuring SMS segments.</summary>
[MemoryDiagnoser]
public class ContentBenchmarks
{
    private readonly Instant _performedAt = Instant.FromUtc(2026, 11, 21, 14, 30);
    private readonly DateTimeZone _zone = DateTimeZoneProviders.Tzdb["America/New_York"];
    private Plan _plan = null!;
    private MessageContext _context = null!;
    private string _spanish = null!;

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "plans");
        var files = Directory.EnumerateFiles(directory, "*.json").Select(path => new PlanFile(Path.GetFileName(path), File.ReadAllText(path)));
        _plan = PlanCatalog.Load(files).Find(PlanIds.Default)!;
        var clinic = new Clinic
        {
            Id = "cl_00000000000000000000",
            Name = "Riverside Skin Clinic",
            TimeZoneId = "America/New_York",
            BookingUrl = "https://book.example.com/riverside",
            ContactPhone = "+12125550100",
            QuietHours = QuietHours.Default,
            DefaultLocale = "en",
            WebhookSecret = "unused",
            CreatedAt = _performedAt,
        };
        _context = new MessageContext("es", "Zoë", clinic);
        _spanish = MessageRenderer.Render(_plan.Stages[0], _context).Text;
    }

    [Benchmark(Description = "schedule 6 stages (DST zone, quiet hours)")]
    public IReadOnlyList<StageSlot> Schedule() => StageScheduler.Schedule(_plan, _performedAt, _zone, QuietHours.Default);

    [Benchmark(Description = "render 6 stages (es, non-GSM name)")]
    public int RenderAll()
    {
        var segments = 0;
        foreach (var stage in _plan.Stages)
        {
            segments += MessageRenderer.Render(stage, _context).Segments;
        }

        return segments;
    }

    [Benchmark(Description = "measure one 2-segment text")]
    public SmsMeasure Measure() => SmsText.Measure(_spanish);
}
