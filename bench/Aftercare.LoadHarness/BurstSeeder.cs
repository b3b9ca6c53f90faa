using System.Globalization;
using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Security;
using Aftercare.Core.Treatments;
using Aftercare.Storage;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.LoadHarness;

/// <summary>
/// Writes a burst straight through the storage repositories: one clinic that texts at any hour, and treatments of
/// distinct clients with one text each due at the same instant, as a zone's 09:00 makes them. The clinic's secret is
/// sealed with <paramref name="cipher"/>, the workers' key.
/// </summary>
internal sealed class BurstSeeder(AftercareTables tables, SecretCipher cipher, DispatchOptions dispatch)
{
    private const string Zone = SeedClinics.Zone;

    public async Task<Clinic> CreateClinicAsync(Instant now, CancellationToken cancellationToken)
    {
        var clinic = SeedClinics.AnyHour("Load Clinic", now);
        await new TableClinicStore(tables, cipher).CreateAsync(clinic, cancellationToken);
        return clinic;
    }

    /// <summary>
    /// Treatments <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 of as many clients, one text each,
    /// all due at <paramref name="dueAt"/>; <paramref name="textedBefore"/> false makes each its client's first text (opt-out line, history write).
    /// </summary>
    public async Task SeedAsync(Clinic clinic, int first, int count, Instant dueAt, bool textedBefore, CancellationToken cancellationToken)
    {
        var store = new TableTreatmentStore(tables);
        var dueIndex = new TableDueIndex(tables, dispatch);
        await Parallel.ForEachAsync(
            Enumerable.Range(first, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var (treatment, message) = NewTreatment(clinic, index, dueAt, textedBefore);
                await store.TryCreateAsync(treatment, [message], ct);
                await dueIndex.AddAsync([new DueEntry(message.DueAt, clinic.Id, treatment.TreatmentId, message.StageId)], ct);
            });
    }

    private static (Treatment Treatment, OutboundMessage Message) NewTreatment(Clinic clinic, int index, Instant dueAt, bool textedBefore)
    {
        var externalId = "load-" + index.ToString(CultureInfo.InvariantCulture);
        var performedAt = dueAt.InUtc().ToOffsetDateTime();
        var treatment = new Treatment
        {
            ClinicId = clinic.Id,
            TreatmentId = TreatmentIds.For(clinic.Id, externalId),
            ExternalId = externalId,
            Client = new ClientDetails("Client", "+1555" + index.ToString("D7", CultureInfo.InvariantCulture), "en", Zone),
            Details = new TreatmentDetails("microneedling", "pen", 0.5m, "face", performedAt),
            Consent = new SmsConsent(true, performedAt, "load-run"),
            PlanId = "microneedling-default",
            Status = TreatmentStatus.Active,
            RegisteredAt = dueAt,
            ClientTextedBefore = textedBefore,
        };
        var message = new OutboundMessage
        {
            StageId = "stage01",
            Sequence = 1,
            DueAt = dueAt,
            DueLocal = dueAt.InUtc().LocalDateTime,
            ExpiresAt = dueAt + Duration.FromDays(1),
            Body = "Load check " + index.ToString(CultureInfo.InvariantCulture),
            Encoding = SmsEncoding.Gsm7,
            Segments = 1,
            Status = MessageStatus.Scheduled,
            UpdatedAt = dueAt,
        };
        return (treatment, message);
    }
}
