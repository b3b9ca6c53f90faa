using Aftercare.Core.Conversation;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Storage;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// A registration writes the client history, then every index row, then the treatment, with no existence query: the
/// treatment's transaction refusing a taken id is what answers "registered already". These pin what the races in
/// between do, each forced at a deterministic seam.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class RegistrationWriteOrderTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_stop_landing_after_the_history_write_and_before_the_treatment_is_honoured_at_send_time()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var stop = new ClientOptOuts(rig.OptOuts, rig.ClientHistory, rig.Treatments, rig.Clock);
        var suppressedByStop = -1;
        var treatments = new HookedTreatmentStore(rig.Treatments, async () => suppressedByStop = await stop.OptOutAsync(clinic.Id, phone, rig.Now, None));
        var registrar = new TreatmentRegistrar(treatments, new TableTreatmentIndex(rig.Tables, rig.Options), rig.ClientHistory, ShippedPlans.Catalog, rig.Clock);

        var registered = await registrar.RegisterAsync(clinic, Registration("visit-1", phone, rig.Now), None);

        // The STOP found the treatment's id in the history but no treatment yet; the registration had read no opt-out.
        Assert.Equal(0, suppressedByStop);
        Assert.True(registered.Created);
        Assert.Equal(TreatmentStatus.Active, registered.Treatment.Status);
        var scheduled = registered.Messages.Where(m => m.Status == MessageStatus.Scheduled).Select(m => m.StageId).ToList();
        Assert.NotEmpty(scheduled);

        // Day by day until every scheduled message has come due (the plan's last is months out).
        for (var day = 0; day < 400 && (await rig.AllDueEntriesAsync()).Count > 0; day++)
        {
            await rig.SweepAsync();
            rig.Advance(Duration.FromDays(1));
        }

        Assert.Empty(rig.CreatedTo(phone));
        var stored = (await rig.Treatments.FindAsync(clinic.Id, registered.Treatment.TreatmentId, None))!;
        Assert.All(stored.Messages.Where(m => scheduled.Contains(m.Value.StageId)), m => Assert.Equal(MessageStatus.Suppressed, m.Value.Status));
        Assert.Empty(await rig.AllDueEntriesAsync());

        // And the next registration knows from the history alone.
        var next = await rig.CreateRegistrar().RegisterAsync(clinic, Registration("visit-2", phone, rig.Now), None);
        Assert.Equal(TreatmentStatus.OptedOut, next.Treatment.Status);
    }

    [Fact]
    public async Task Two_registrations_of_one_visit_racing_to_the_treatments_transaction_store_one()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var bothAtCreate = new Rendezvous(2);
        var treatments = new HookedTreatmentStore(rig.Treatments, () => bothAtCreate.ArriveAsync(None), hookedCreates: 2);
        var registrar = new TreatmentRegistrar(treatments, new TableTreatmentIndex(rig.Tables, rig.Options), rig.ClientHistory, ShippedPlans.Catalog, rig.Clock);
        var command = Registration("visit-1", phone, rig.Now);

        var results = await Task.WhenAll(
            Task.Run(() => registrar.RegisterAsync(clinic, command, None)),
            Task.Run(() => registrar.RegisterAsync(clinic, command, None)));

        Assert.Equal([false, true], results.Select(r => r.Created).Order());
        Assert.All(results, r => Assert.False(r.IsConflict));
        Assert.Equal(results[0].Treatment.RegisteredAt, results[1].Treatment.RegisteredAt);
        Assert.Equal([results[0].Treatment.TreatmentId], (await rig.ClientHistory.FindAsync(clinic.Id, phone, None))!.TreatmentIds);
        var scheduled = results.Single(r => r.Created).Messages.Count(m => m.Status == MessageStatus.Scheduled);
        Assert.Equal(scheduled, (await rig.AllDueEntriesAsync()).Count);

        await rig.SweepAsync();
        Assert.Single(rig.CreatedTo(phone));
    }

    [Fact]
    public async Task A_conflicting_repeat_for_another_number_leaves_that_numbers_history_as_it_was()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var (maya, other) = (DeliveryRig.NewPhone(), DeliveryRig.NewPhone());
        var registrar = rig.CreateRegistrar();
        await registrar.RegisterAsync(clinic, Registration("visit-1", maya, rig.Now), None);
        await registrar.RegisterAsync(clinic, Registration("visit-0", other, rig.Now), None);

        var conflict = await registrar.RegisterAsync(clinic, Registration("visit-1", other, rig.Now), None);

        Assert.Equal(["client.phone"], conflict.DifferingFields);
        Assert.Equal(
            [TreatmentIds.For(clinic.Id, "visit-0")],
            (await rig.ClientHistory.FindAsync(clinic.Id, other, None))!.TreatmentIds);
        Assert.Equal(
            [TreatmentIds.For(clinic.Id, "visit-1")],
            (await rig.ClientHistory.FindAsync(clinic.Id, maya, None))!.TreatmentIds);
    }

    private static RegisterTreatment Registration(string externalId, string phone, Instant performedAt)
    {
        var at = performedAt.WithOffset(Offset.FromHours(1));
        return new RegisterTreatment(
            externalId, "Maya", phone, "en", DeliveryRig.ZoneId,
            new TreatmentDetails("microneedling", "pen", 1.5m, "face", at),
            new SmsConsent(true, at, "tablet-form"));
    }
}
