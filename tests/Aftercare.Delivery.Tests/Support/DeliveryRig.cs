using Aftercare.Core;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Sms.Twilio;
using Aftercare.Storage;
using Aftercare.Storage.Tables;
using Aftercare.Testing;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Twilio.Clients;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Aftercare.Delivery.Tests.Support;

/// <summary>
/// The real delivery path composed in-process: table repositories on a fresh prefix in Azurite, a
/// <see cref="TwilioSmsSender"/> on the Twilio SDK (a client from <see cref="TwilioRestClientFactory"/>) pointed at a
/// <see cref="TwilioStandIn"/>, and a
/// <see cref="MessageDispatcher"/>, all on one <see cref="ManualClock"/> (the stand-in stamps its texts with it too,
/// so the in-doubt look-up and the stored claim times agree). The clock only moves when a test moves it.
/// </summary>
public sealed class DeliveryRig : IAsyncDisposable
{
    public const string SenderPhone = "+15005550006";
    public const string ZoneId = "Europe/London";

    public static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    // Numbers unique across every test in the run, so a look-up at the stand-in never sees another test's texts.
    private static int s_nextPhone = Random.Shared.Next(1_000_000, 5_000_000);

    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _connectionString;
    private readonly DeliveryRigOptions _settings;
    private readonly List<HttpMessageHandler> _twilioConnections = [];

    private DeliveryRig(string connectionString, DeliveryRigOptions settings, TwilioStandIn twilio, ManualClock clock)
    {
        _connectionString = connectionString;
        _settings = settings;
        Twilio = twilio;
        Clock = clock;
        Options = new DispatchOptions
        {
            BatchSize = 500,
            MaxParallelism = 4,
            Lease = Duration.FromSeconds(20),
            InDoubtRecheck = Duration.FromMinutes(1),
            MinimumRetryDelay = Duration.FromMinutes(1),
            OrphanGrace = Duration.FromMinutes(10),
        };
        settings.Dispatch?.Invoke(Options);
        Tables = NewTables(AzuriteFixture.UniquePrefix());
        Treatments = new TableTreatmentStore(Tables);
        DueIndex = new TableDueIndex(Tables, Options);
        Clinics = new TableClinicStore(Tables, TestKeys.SecretCipher);
        OptOuts = new TableOptOutStore(Tables, TestKeys.PhoneHasher);
        ClientHistory = new TableClientHistory(Tables, TestKeys.PhoneHasher);
        Alerts = new TableAlertOutbox(Tables);
        TwilioOptions = NewTwilioOptions();
        TwilioClient = NewTwilioClient();
        Sender = new TwilioSmsSender(TwilioClient, TwilioOptions, NullLogger<TwilioSmsSender>.Instance);
        Dispatcher = CreateDispatcher();
    }

    public ManualClock Clock { get; }

    public Instant Now => Clock.GetCurrentInstant();

    public AftercareTables Tables { get; }

    /// <summary>Counts the Table service calls of every storage pipeline this rig builds, replicas included.</summary>
    public TableRoundTrips RoundTrips { get; } = new();

    public TableTreatmentStore Treatments { get; }

    public TableDueIndex DueIndex { get; }

    public TableClinicStore Clinics { get; }

    public TableOptOutStore OptOuts { get; }

    public TableClientHistory ClientHistory { get; }

    /// <summary>The clinic alert outbox the dispatcher writes <c>message-failed</c> alerts to.</summary>
    public TableAlertOutbox Alerts { get; }

    public TwilioStandIn Twilio { get; }

    public TwilioOptions TwilioOptions { get; }

    public TwilioRestClient TwilioClient { get; }

    public TwilioSmsSender Sender { get; }

    public RecordingDeliveryEvents Events { get; } = new();

    public DispatchOptions Options { get; }

    public MessageDispatcher Dispatcher { get; }

    public static async Task<DeliveryRig> StartAsync(string connectionString, Action<DeliveryRigOptions>? configure = null)
    {
        var settings = new DeliveryRigOptions();
        configure?.Invoke(settings);
        var clock = new ManualClock(Start);
        var twilio = await TwilioStandIn.StartAsync(new TwilioStandInOptions
        {
            RetryAfter = settings.RetryAfter,
            RandomFaultRate = settings.RandomFaultRate,
            RandomSeed = 20260601,
            TimeProvider = clock,
        });
        var rig = new DeliveryRig(connectionString, settings, twilio, clock);
        await rig.Tables.EnsureCreatedAsync();
        return rig;
    }

    public MessageDispatcher CreateDispatcher(
        ISmsSender? sender = null, IOptOutStore? optOuts = null, ITreatmentStore? treatments = null, IDueIndex? dueIndex = null, IClientHistory? clientHistory = null) =>
        new(treatments ?? Treatments, dueIndex ?? DueIndex, Clinics, optOuts ?? OptOuts, clientHistory ?? ClientHistory, Alerts, sender ?? Sender, Events, Options, Clock);

    /// <summary>Registers treatments as the clinic endpoint does, with the shipped plans, on this rig's tables and clock.</summary>
    public TreatmentRegistrar CreateRegistrar() =>
        new(Treatments, new TableTreatmentIndex(Tables, Options), ClientHistory, ShippedPlans.Catalog, Clock);

    /// <summary>Another replica: its own storage pipeline, its own Twilio client and breaker; same tables, stand-in and clock.</summary>
    public MessageDispatcher CreateReplica(Func<ISmsSender, ISmsSender>? wrapSender = null, Func<IOptOutStore, IOptOutStore>? wrapOptOuts = null)
    {
        var tables = NewTables(Tables.Prefix);
        ISmsSender sender = new TwilioSmsSender(NewTwilioClient(), TwilioOptions, NullLogger<TwilioSmsSender>.Instance);
        IOptOutStore optOuts = new TableOptOutStore(tables, TestKeys.PhoneHasher);
        return new MessageDispatcher(
            new TableTreatmentStore(tables), new TableDueIndex(tables, Options), new TableClinicStore(tables, TestKeys.SecretCipher), wrapOptOuts?.Invoke(optOuts) ?? optOuts,
            new TableClientHistory(tables, TestKeys.PhoneHasher), new TableAlertOutbox(tables), wrapSender?.Invoke(sender) ?? sender, Events, Options, Clock);
    }

    public Task<DispatchReport> SweepAsync() => Dispatcher.DispatchDueAsync(None);

    /// <summary>A clinic in London; its quiet hours are none unless a test is about them.</summary>
    public async Task<Clinic> CreateClinicAsync(QuietHours? quietHours = null, IReadOnlySet<ClinicAlertType>? alertTypes = null)
    {
        var clinic = new Clinic
        {
            Id = ClinicIds.Create(),
            Name = "Glow Skin Clinic",
            TimeZoneId = ZoneId,
            SenderPhone = SenderPhone,
            BookingUrl = "https://glow.example/book",
            ContactPhone = "+442071234567",
            AlertWebhookUrl = "https://glow.example/alerts",
            AlertTypes = alertTypes ?? ClinicAlertTypes.Default,
            QuietHours = quietHours ?? new QuietHours(LocalTime.Midnight, LocalTime.Midnight),
            DefaultLocale = "en",
            WebhookSecret = "not-used-by-the-dispatcher",
            CreatedAt = Now,
        };
        await Clinics.CreateAsync(clinic, None);
        return clinic;
    }

    /// <summary>A number no other test uses.</summary>
    public static string NewPhone() => "+1555" + Interlocked.Increment(ref s_nextPhone).ToString("D7");

    /// <summary>Writes a treatment for a new number: its messages (TryCreateAsync), then their due-index entries (AddAsync).</summary>
    public Task<SeededTreatment> SeedAsync(Clinic clinic, params StagePlan[] stages) => SeedForAsync(clinic, NewPhone(), stages);

    /// <summary>Writes a treatment for <paramref name="phone"/>, as <see cref="SeedAsync"/> does.</summary>
    public Task<SeededTreatment> SeedForAsync(Clinic clinic, string phone, params StagePlan[] stages) =>
        SeedForAsync(clinic, phone, t => t, stages);

    /// <summary>Writes a treatment for <paramref name="phone"/>, changed by <paramref name="change"/>, as <see cref="SeedAsync"/> does.</summary>
    public async Task<SeededTreatment> SeedForAsync(Clinic clinic, string phone, Func<Treatment, Treatment> change, params StagePlan[] stages)
    {
        var now = Now;
        var externalId = "ext-" + Guid.NewGuid().ToString("N")[..10];
        var treatment = change(new Treatment
        {
            ClinicId = clinic.Id,
            TreatmentId = TreatmentIds.For(clinic.Id, externalId),
            ExternalId = externalId,
            Client = new ClientDetails("Ana", phone, "en", ZoneId),
            Details = new TreatmentDetails("microneedling", "Dermapen 4", 1.0m, "face", now.Minus(Duration.FromDays(1)).WithOffset(Offset.FromHours(1))),
            Consent = new SmsConsent(true, now.Minus(Duration.FromDays(1)).WithOffset(Offset.FromHours(1)), "form"),
            PlanId = "microneedling-default",
            Status = TreatmentStatus.Active,
            RegisteredAt = now,
        });
        var zone = DateTimeZoneProviders.Tzdb[ZoneId];
        var messages = stages.Select((stage, i) =>
        {
            var dueAt = now + stage.DueIn;
            return new OutboundMessage
            {
                StageId = stage.StageId,
                Sequence = i + 1,
                DueAt = dueAt,
                DueLocal = dueAt.InZone(zone).LocalDateTime,
                ExpiresAt = dueAt + (stage.FreshFor ?? Duration.FromDays(2)),
                Body = stage.Body ?? $"Hi Ana, {stage.StageId} of {externalId}: keep your skin clean and use SPF 30+. Reply STOP to opt out.",
                Locale = "en",
                Encoding = SmsEncoding.Gsm7,
                Segments = 1,
                Status = MessageStatus.Scheduled,
                UpdatedAt = now,
            };
        }).ToList();

        Assert.True(await Treatments.TryCreateAsync(treatment, messages, None));
        await DueIndex.AddAsync([.. messages.Select(m => new DueEntry(m.DueAt, clinic.Id, treatment.TreatmentId, m.StageId))], None);
        return new SeededTreatment(treatment, messages);
    }

    /// <summary>The message as stored now.</summary>
    public async Task<OutboundMessage> StoredAsync(SeededTreatment seeded, string stageId) =>
        (await Treatments.FindMessageAsync(seeded.ClinicId, seeded.TreatmentId, stageId, None))?.Value
        ?? throw new InvalidOperationException($"No stored message {stageId}.");

    /// <summary>Every index entry due at or before <paramref name="at"/>.</summary>
    public Task<IReadOnlyList<DueEntry>> DueAtAsync(Instant at) => DueIndex.ListAllDueAsync(at, 1000, None);

    /// <summary>Every index entry, however far ahead.</summary>
    public Task<IReadOnlyList<DueEntry>> AllDueEntriesAsync() => DueAtAsync(Now + Duration.FromDays(365));

    /// <summary>Creates a text at the stand-in directly through the SDK, as a dispatcher that died right after sending would have.</summary>
    public async Task<string> CreateAtTwilioAsync(string phone, string body) =>
        (await MessageResource.CreateAsync(new CreateMessageOptions(new PhoneNumber(phone)) { From = new PhoneNumber(SenderPhone), Body = body }, TwilioClient)).Sid;

    /// <summary>The texts the stand-in created to one number.</summary>
    public IReadOnlyList<TwilioStandInMessage> CreatedTo(string phone) => [.. Twilio.Created.Where(m => m.To == phone)];

    public void Advance(Duration by) => Clock.Advance(by.ToTimeSpan());

    public async ValueTask DisposeAsync()
    {
        await Twilio.DisposeAsync();
        foreach (var connections in _twilioConnections)
        {
            connections.Dispose();
        }
    }

    private AftercareTables NewTables(string prefix)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = _settings.StorageRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        options.AddPolicy(RoundTrips, HttpPipelinePosition.PerCall);
        return new AftercareTables(new TableServiceClient(_connectionString, options), prefix);
    }

    private TwilioOptions NewTwilioOptions()
    {
        var options = new TwilioOptions
        {
            AccountSid = AccountSid,
            AuthToken = "test-auth-token",
            BaseUri = Twilio.BaseUri,
            RequestTimeout = TimeSpan.FromSeconds(2),
            Resilience = new TwilioResilienceOptions
            {
                MaxRetryAttempts = 2,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                RetryMaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = false,
                BreakerMinimumThroughput = 1000,
            },
        };
        _settings.Twilio?.Invoke(options);
        return options;
    }

    private TwilioRestClient NewTwilioClient()
    {
        var connections = new SocketsHttpHandler { AllowAutoRedirect = false };
        _twilioConnections.Add(connections);

        // The breaker reads the same manual clock, so a test opens and closes it by moving time, not by waiting.
        return TwilioRestClientFactory.Create(TwilioOptions, Clock, connections);
    }
}
