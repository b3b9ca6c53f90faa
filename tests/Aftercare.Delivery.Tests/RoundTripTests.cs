using Aftercare.Core.Plans;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Storage;
using Aftercare.Testing;
using NodaTime;
using Xunit.Abstractions;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Table service round trips of the two operations that matter, counted by the rig's <c>TableRoundTrips</c>. Before the
/// move to Azure.Data.Tables they were 12 per registration and 6.02 per sent text; the retention index added one to a
/// registration. These hold the counts where they are now, so a change that adds a round trip shows here.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class RoundTripTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_new_registration_takes_thirteen_round_trips_with_the_clinic_look_up()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var registrar = new TreatmentRegistrar(
            rig.Treatments, rig.DueIndex, rig.OptOuts, new TableClientHistory(rig.Tables, TestKeys.PhoneHasher), new TableRetentionIndex(rig.Tables), LoadPlans(), rig.Clock);
        var performedAt = rig.Now.WithOffset(Offset.FromHours(1));
        var command = new RegisterTreatment(
            "visit-1001", "Maya", DeliveryRig.NewPhone(), "en", null,
            new TreatmentDetails("microneedling", "pen", 1.5m, "face", performedAt),
            new SmsConsent(true, performedAt, "tablet-form"));

        using var registration = rig.RoundTrips.BeginScope();
        await rig.Clinics.FindAsync(clinic.Id, None); // As the clinic endpoint does before it registers.
        var clinicLookUp = registration.Calls;
        var result = await registrar.RegisterAsync(clinic, command, None);

        var scheduled = result.Messages.Count(m => m.Status == MessageStatus.Scheduled);
        output.WriteLine($"registration: {registration.Calls} round trips ({clinicLookUp} clinic look-up, {registration.Calls - clinicLookUp} in RegisterAsync, {scheduled} messages scheduled)");
        Assert.True(result.Created);
        Assert.Equal(6, scheduled);

        // Treatment look-up 1, opt-out check 1, one due-index upsert per due minute 6, the retention entry 1, the
        // partition's transaction 1, client history read and insert 2: 12, and the clinic look-up.
        Assert.Equal((1, 13), (clinicLookUp, registration.Calls));
    }

    [Fact]
    public async Task A_sent_text_takes_six_round_trips_and_a_sweep_adds_two()
    {
        const int Texts = 100;
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        for (var i = 0; i < Texts; i++)
        {
            await rig.SeedAsync(clinic, new StagePlan("welcome", Duration.FromSeconds(-30)));
        }

        using var sweep = rig.RoundTrips.BeginScope();
        var report = await rig.SweepAsync();

        var perText = (double)sweep.Calls / report.Sent;
        output.WriteLine($"sweep of {report.Sent} texts: {sweep.Calls} round trips, {perText:0.00} per sent text");
        Assert.Equal(Texts, report.Sent);

        // Per text: treatment read 1, opt-out check 1, claim 1, re-read after the claim 1, record 1, index removal 1.
        // Per sweep: one due-index page and one clinic look-up.
        Assert.Equal((6 * Texts) + 2, sweep.Calls);
    }

    private static PlanCatalog LoadPlans() => PlanCatalog.Load(
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "plans"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new PlanFile(Path.GetFileName(path), File.ReadAllText(path))));
}
