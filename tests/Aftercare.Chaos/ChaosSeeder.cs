using System.Globalization;
using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Security;
using Aftercare.Core.Treatments;
using Aftercare.Storage;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Chaos;

/// <summary>
/// Writes the run's data straight through the storage repositories (a real plan's stages are days apart; these are
/// seconds): one clinic that texts at any hour, and treatments whose messages fall due over the first seconds of the run.
/// The clinic's secret is sealed with <paramref name="cipher"/>, which must be the workers' (<see cref="DispatcherEnvironment"/>).
/// </summary>
internal sealed class ChaosSeeder(AftercareTables tables, SecretCipher cipher, TimeProvider time)
{
    private const string Zone = SeedClinics.Zone;
    private static readonly Duration DueSpread = Duration.FromSeconds(20);
    private static readonly Duration Freshness = Duration.FromDays(1);

    public async Task<ChaosData> SeedAsync(ChaosOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await tables.EnsureCreatedAsync(cancellationToken);

        var now = time.GetCurrentInstant();
        var clinic = SeedClinics.AnyHour("Chaos Clinic", now);
        await new TableClinicStore(tables, cipher).CreateAsync(clinic, cancellationToken);

        var random = new Random(options.Seed);
        var phones = PhonePool(Math.Max(1, options.Treatments / 3));
        var treatments = Enumerable.Range(0, options.Treatments)
            .Select(t => NewTreatment(clinic, t, phones[t % phones.Count], now, options.Stages, random))
            .ToList();

        var store = new TableTreatmentStore(tables);
        var dueIndex = new TableDueIndex(tables, new DispatchOptions());
        await Parallel.ForEachAsync(
            treatments,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (seeded, ct) =>
            {
                var (treatment, messages) = seeded;
                if (!await store.TryCreateAsync(treatment, messages, ct))
                {
                    throw new InvalidOperationException($"Treatment {treatment.TreatmentId} already existed in fresh tables.");
                }

                await dueIndex.AddAsync(messages.Select(m => new DueEntry(m.DueAt, clinic.Id, treatment.TreatmentId, m.StageId)).ToList(), ct);
            });

        return new ChaosData(
            clinic,
            treatments.Select(t => t.Treatment.TreatmentId).ToList(),
            treatments.SelectMany(t => t.Messages.Select(m => new SeededMessage(t.Treatment.TreatmentId, m.StageId, m.Body))).ToList());
    }

    // Numbers in the 555 range, each shared by a few treatments, as repeat clients share theirs.
    private static List<string> PhonePool(int size) =>
        Enumerable.Range(0, size).Select(i => "+15552" + i.ToString("D6", CultureInfo.InvariantCulture)).ToList();

    private static (Treatment Treatment, List<OutboundMessage> Messages) NewTreatment(
        Clinic clinic, int index, string phone, Instant now, int stages, Random random)
    {
        var externalId = "chaos-" + index.ToString(CultureInfo.InvariantCulture);
        var performedAt = now.InUtc().ToOffsetDateTime();
        var treatment = new Treatment
        {
            ClinicId = clinic.Id,
            TreatmentId = TreatmentIds.For(clinic.Id, externalId),
            ExternalId = externalId,
            Client = new ClientDetails("Client", phone, "en", Zone),
            Details = new TreatmentDetails("microneedling", "pen", 0.5m, "face", performedAt),
            Consent = new SmsConsent(true, performedAt, "chaos-run"),
            PlanId = "microneedling-default",
            Status = TreatmentStatus.Active,
            RegisteredAt = now,
        };

        var messages = Enumerable.Range(1, stages).Select(stage =>
        {
            var dueAt = now + Duration.FromMilliseconds(random.NextInt64(0, (long)DueSpread.TotalMilliseconds));
            var body = string.Create(CultureInfo.InvariantCulture, $"Chaos check {index} {stage}");
            return new OutboundMessage
            {
                StageId = "stage" + stage.ToString("D2", CultureInfo.InvariantCulture),
                Sequence = stage,
                DueAt = dueAt,
                DueLocal = dueAt.InUtc().LocalDateTime,
                ExpiresAt = dueAt + Freshness,
                Body = body,
                Encoding = SmsEncoding.Gsm7,
                Segments = 1,
                Status = MessageStatus.Scheduled,
                UpdatedAt = now,
            };
        }).ToList();
        return (treatment, messages);
    }
}
