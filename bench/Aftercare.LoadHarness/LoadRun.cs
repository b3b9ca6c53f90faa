using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aftercare.Core.Delivery;
using Aftercare.Core.Security;
using Aftercare.Storage;
using Aftercare.Testing;
using Azure.Data.Tables;
using NodaTime;

namespace Aftercare.LoadHarness;

/// <summary>
/// One load run's parts, each against fresh tables: table round trips per registration (through the API) and per sent
/// text (through the dispatch timer), dispatch throughput for a number of worker processes, and a burst's drain time.
/// Round trips are counted at <see cref="CountingProxy"/>, as the storage service sees them.
/// </summary>
internal sealed class LoadRun(LoadOptions options, LoadStorage storage, TwilioStandIn twilio, TextWriter output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    // One timer tick is fired: a drain that leaves entries behind (held, its time up) would wait for a tick that never comes.
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(1);

    /// <summary>Registers new clients one at a time through <c>POST /api/clinics/{id}/treatments</c>; the mean table round trips of one.</summary>
    public async Task<double> RegistrationRoundTripsAsync(CancellationToken cancellationToken)
    {
        var prefix = LoadEnvironment.TablePrefix();
        await using var fleet = await WorkerFleet.StartAsync(options.AppDirectory, Settings(prefix), 1, cancellationToken);
        var host = fleet.Hosts[0];
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var (clinicId, secret) = await CreateClinicAsync(http, host.MasterKey, cancellationToken);

        var counts = new List<long>();
        var policyCounts = new List<int>();
        for (var i = 0; i < options.Registrations; i++)
        {
            var before = storage.TableRequests;
            var logged = host.Logs.Count;
            using var response = await RegisterAsync(http, host.FunctionKey, clinicId, secret, i, cancellationToken);
            if ((int)response.StatusCode != 201)
            {
                throw new InvalidOperationException($"Registration {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            counts.Add(storage.TableRequests - before);
            policyCounts.Add(await LoggedRoundTripsAsync(host, logged, cancellationToken));
        }

        output.WriteLine($"registration: {options.Registrations} new clients, table round trips each at the proxy: min {counts.Min()}, max {counts.Max()}, mean {LoadEnvironment.Format(counts.Average())}; "
            + $"by the app's per-call pipeline policy: min {policyCounts.Min()}, max {policyCounts.Max()}, mean {LoadEnvironment.Format(policyCounts.Average())} (the first includes the clinic look-up the cache then serves)");
        return counts.Average();
    }

    /// <summary>
    /// Seeds <paramref name="texts"/> texts due now (<paramref name="firstTexts"/> of them clients' first), fires the dispatch
    /// timer once on the first of <paramref name="workers"/> worker processes and waits until the stand-in has them all.
    /// </summary>
    public async Task<DispatchFigures> DispatchAsync(int workers, int texts, bool firstTexts, CancellationToken cancellationToken)
    {
        var prefix = LoadEnvironment.TablePrefix();
        var tables = new AftercareTables(new TableServiceClient(storage.DirectConnectionString), prefix);
        await tables.EnsureCreatedAsync(cancellationToken);
        var seeder = new BurstSeeder(tables, TestKeys.SecretCipher, new DispatchOptions());
        var now = SystemClock.Instance.GetCurrentInstant();
        var clinic = await seeder.CreateClinicAsync(now, cancellationToken);
        var clock = Stopwatch.StartNew();
        await seeder.SeedAsync(clinic, 0, texts, now, textedBefore: !firstTexts, cancellationToken);
        output.WriteLine($"  seeded {texts} texts due now in {clock.Elapsed.TotalSeconds:0.0} s");

        await using var fleet = await WorkerFleet.StartAsync(options.AppDirectory, Settings(prefix), workers, cancellationToken);
        var sentBefore = twilio.Created.Count;
        var tableBefore = storage.TableRequests;
        var queueBefore = storage.QueueRequests;
        var fired = DateTimeOffset.UtcNow;
        var timer = await fleet.Hosts[0].InvokeAsync("DispatchDueMessages", cancellationToken: cancellationToken);
        if (!timer.Succeeded)
        {
            throw new InvalidOperationException("The dispatch timer failed: " + timer.ErrorMessage);
        }

        var deadline = Stopwatch.StartNew();
        var (progress, lastProgress) = (0, Stopwatch.StartNew());
        while (twilio.Created.Count - sentBefore < texts)
        {
            var sent = twilio.Created.Count - sentBefore;
            (progress, lastProgress) = sent > progress ? (sent, Stopwatch.StartNew()) : (progress, lastProgress);
            if (deadline.Elapsed > Patience || lastProgress.Elapsed > Stall)
            {
                throw new TimeoutException($"Only {sent} of {texts} texts reached the stand-in ({(deadline.Elapsed > Patience ? "patience" : "no progress for " + Stall.TotalSeconds + " s")}); {await LeftAsync(tables, cancellationToken)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        var created = twilio.Created.Skip(sentBefore).Select(m => m.DateCreated).Order().ToList();
        var figures = new DispatchFigures(
            Workers: workers,
            Texts: texts,
            TableRoundTripsPerText: (storage.TableRequests - tableBefore) / (double)texts,
            QueueRequests: storage.QueueRequests - queueBefore,
            FirstToLast: created[^1] - created[0],
            FiredToLast: created[^1] - fired,
            Idle: IdleTime(created, options.Latency),
            InFlightLimit: workers * options.InFlightPerWorker,
            Latency: options.Latency);
        output.WriteLine(figures.Describe());
        return figures;
    }

    /// <summary>What a stalled run left: due-index rows per partition and messages per status.</summary>
    private static async Task<string> LeftAsync(AftercareTables tables, CancellationToken cancellationToken)
    {
        var due = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in tables.DueIndex.QueryAsync(filter: null, cancellationToken: cancellationToken))
        {
            var key = row.PartitionKey + (row.RowKey.Contains('|', StringComparison.Ordinal) ? string.Empty : "/" + row.RowKey);
            due[key] = due.GetValueOrDefault(key) + 1;
        }

        var statuses = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in tables.Treatments.QueryAsync(filter: null, cancellationToken: cancellationToken))
        {
            var key = (row.RowKey.StartsWith("msg", StringComparison.Ordinal) ? "message " : "treatment ") + row.GetString("Status");
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
        }

        return "left in the due index: " + string.Join(", ", due.Select(p => $"{p.Key}={p.Value}")) + "; rows: " + string.Join(", ", statuses.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>
    /// Time with no send in flight at all, first send to last: each create's answer is stamped <paramref name="latency"/>
    /// after it arrived, so a gap between two stamps longer than that is idle beyond it (a shard switch, a page's end).
    /// </summary>
    private static TimeSpan IdleTime(IReadOnlyList<DateTimeOffset> created, TimeSpan latency) =>
        created.Zip(created.Skip(1), (before, after) => after - before - latency).Where(gap => gap > TimeSpan.Zero).Aggregate(TimeSpan.Zero, (sum, gap) => sum + gap);

    /// <summary>The count the worker logged for the registration (<c>Treatment registration: created, N table round trips</c>).</summary>
    private static async Task<int> LoggedRoundTripsAsync(FunctionsHost.FunctionsHost host, int since, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var line = host.Logs.Skip(since).Select(entry => entry.Message).LastOrDefault(m => m.StartsWith("Treatment registration:", StringComparison.Ordinal));
            if (line is not null)
            {
                var words = line.Split(' ');
                return int.Parse(words[^4], CultureInfo.InvariantCulture);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken);
        }

        throw new InvalidOperationException("The worker logged no registration line.");
    }

    private Dictionary<string, string?> Settings(string prefix) =>
        new Dictionary<string, string?>(LoadEnvironment.Create(storage.ProxiedConnectionString, prefix, twilio.BaseUri), StringComparer.Ordinal)
        {
            ["Aftercare__Twilio__MaxSendsPerSecond"] = options.MaxSendsPerSecond.ToString(CultureInfo.InvariantCulture),
        };

    private static async Task<(string ClinicId, string Secret)> CreateClinicAsync(HttpClient http, string masterKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/manage/clinics")
        {
            Content = JsonContent.Create(new
            {
                name = "Load Clinic",
                timeZone = "Europe/London",
                senderPhone = "+447400100001",
                bookingUrl = "https://book.example.com/load",
                contactPhone = "+442079460000",
                quietHours = new { start = "20:00", end = "09:00" },
                defaultLocale = "en",
            }),
        };
        request.Headers.Add("x-functions-key", masterKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return (json.RootElement.GetProperty("clinicId").GetString()!, json.RootElement.GetProperty("webhookSecret").GetString()!);
    }

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string functionKey, string clinicId, string secret, int index, CancellationToken cancellationToken)
    {
        var at = SystemClock.Instance.GetCurrentInstant();
        var stamp = at.ToString("uuuu-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = JsonSerializer.Serialize(new
        {
            externalId = "load-visit-" + index.ToString(CultureInfo.InvariantCulture),
            client = new { firstName = "Maya", phone = "+4474001" + index.ToString("D5", CultureInfo.InvariantCulture), locale = "en" },
            treatment = new { type = "microneedling", device = "pen", needleDepthMm = 1.5, area = "face", performedAt = stamp },
            consent = new { sms = true, capturedAt = stamp, method = "tablet-form" },
        });
        var path = $"/api/clinics/{clinicId}/treatments";
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-functions-key", functionKey);
        request.Headers.TryAddWithoutValidation(ClinicSignature.HeaderName, ClinicSignature.Create(secret, at, "POST", path, bytes));
        return SendAndDisposeRequestAsync(http, request, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await http.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>What one dispatch run measured. The ideal rate is <see cref="InFlightLimit"/> ÷ <see cref="Latency"/>.</summary>
internal sealed record DispatchFigures(
    int Workers, int Texts, double TableRoundTripsPerText, long QueueRequests, TimeSpan FirstToLast, TimeSpan FiredToLast, TimeSpan Idle, int InFlightLimit, TimeSpan Latency)
{
    /// <summary>Texts a second, first send to last.</summary>
    public double Rate => (Texts - 1) / FirstToLast.TotalSeconds;

    /// <summary>The rate as a share of in-flight limit ÷ latency (1.0 is every slot busy all the time).</summary>
    public double ShareOfLimit => Rate / (InFlightLimit / Latency.TotalSeconds);

    /// <summary>Timer fired → last text, ÷ (texts × latency ÷ in-flight limit): 1.0 is a drain as fast as the limit allows.</summary>
    public double DrainRatio => FiredToLast.TotalSeconds / (Texts * Latency.TotalSeconds / InFlightLimit);

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"dispatch: {Workers} worker(s), {Texts} texts, {LoadEnvironment.Format(TableRoundTripsPerText)} table round trips per sent text, {QueueRequests} queue requests; "
        + $"first→last {FirstToLast.TotalSeconds:0.0} s = {Rate:0.0}/s = {LoadEnvironment.Format(ShareOfLimit)} of {InFlightLimit}/{Latency.TotalSeconds:0.###} s; "
        + $"timer→last {FiredToLast.TotalSeconds:0.0} s, drain ratio {LoadEnvironment.Format(DrainRatio)}; nothing in flight for {Idle.TotalSeconds:0.0} s of it");
}
