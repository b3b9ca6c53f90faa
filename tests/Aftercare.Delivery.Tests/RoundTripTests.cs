using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;
using Xunit.Abstractions;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Table service round trips of the two operations that matter, counted by the rig's <c>TableRoundTrips</c>. Before the
/// move to Azure.Data.Tables they were 12 per registration and 6.02 per sent text; the retention index added one to a
/// registration, and issue 16 brought a new registration down to four; a number's first text from a clinic takes one more (the client's history notes it, so its later
/// texts need no opt-out line). These hold the counts where they are now, so a change that adds a round trip shows here.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class RoundTripTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_new_registration_takes_four_round_trips_after_the_clinic_look_up()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, Patiently);
        var clinic = await rig.CreateClinicAsync();
        var registrar = rig.CreateRegistrar();

        using var registration = rig.RoundTrips.BeginScope();
        var result = await registrar.RegisterAsync(clinic, Registration(rig.Now, "visit-1001", DeliveryRig.NewPhone()), None);

        var scheduled = result.Messages.Count(m => m.Status == MessageStatus.Scheduled);
        output.WriteLine($"new registration: {registration.Calls} round trips in RegisterAsync ({scheduled} messages scheduled)");
        Assert.True(result.Created);
        Assert.Equal(6, scheduled);

        // Client history read and insert 2 (it also says whether the number opted out), every index row in one
        // transaction 1, the treatment's transaction 1. The clinic look-up before it is cached by the clinic endpoint.
        Assert.Equal(4, registration.Calls);
    }

    [Fact]
    public async Task A_repeated_registration_takes_two_round_trips_and_a_rebooking_a_read_per_earlier_treatment_and_a_write_per_prompt()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, Patiently);
        var clinic = await rig.CreateClinicAsync();
        var registrar = rig.CreateRegistrar();
        var phone = DeliveryRig.NewPhone();
        await registrar.RegisterAsync(clinic, Registration(rig.Now, "visit-1", phone), None);

        using (var repeat = rig.RoundTrips.BeginScope())
        {
            var again = await registrar.RegisterAsync(clinic, Registration(rig.Now, "visit-1", phone), None);
            output.WriteLine($"repeated registration: {repeat.Calls} round trips");
            Assert.False(again.Created);

            // The history read finds the id recorded, then the treatment is read back: no write at all.
            Assert.Equal(2, repeat.Calls);
        }

        using var rebooking = rig.RoundTrips.BeginScope();
        var rebooked = await registrar.RegisterAsync(clinic, Registration(rig.Now, "visit-2", phone), None);
        output.WriteLine($"rebooking: {rebooking.Calls} round trips, {rebooked.RebookPromptsCancelled} prompts cancelled");
        Assert.True(rebooked.Created);
        Assert.Equal(2, rebooked.RebookPromptsCancelled);

        // A new client's four, then the earlier treatment's read and a write per prompt it cancels.
        Assert.Equal(4 + 1 + 2, rebooking.Calls);
    }

    [Fact]
    public async Task A_numbers_first_text_takes_seven_round_trips_and_a_sweep_adds_two()
    {
        const int Texts = 100;
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, Patiently);
        var clinic = await rig.CreateClinicAsync();
        for (var i = 0; i < Texts; i++)
        {
            await rig.SeedAsync(clinic, new StagePlan("welcome", Duration.FromSeconds(-30)));
        }

        var (calls, sent) = await SweepAsync(rig, "first texts");

        // Per text: treatment read 1, opt-out check 1, claim 1, re-read after the claim 1, record 1, index removal 1,
        // and the client history's note that the number has had a text 1. Per sweep: a due-index page, a clinic look-up.
        Assert.Equal(Texts, sent);
        Assert.Equal((7 * Texts) + 2, calls);
    }

    [Fact]
    public async Task A_text_to_a_number_known_to_have_had_one_takes_six_round_trips()
    {
        const int Texts = 50;
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString, Patiently);
        var clinic = await rig.CreateClinicAsync();
        for (var i = 0; i < Texts; i++)
        {
            // Known from the treatment's own texts (its welcome went first), or from the client's history at registration.
            await rig.SeedAsync(clinic, new StagePlan("welcome", Duration.FromSeconds(-30)), new StagePlan("day-1", Duration.FromDays(1)));
            await rig.SeedForAsync(clinic, DeliveryRig.NewPhone(), t => t with { ClientTextedBefore = true }, new StagePlan("day-1", Duration.FromDays(1)));
        }

        await SweepAsync(rig, "first texts");
        rig.Advance(Duration.FromDays(1));
        var (calls, sent) = await SweepAsync(rig, "texts to numbers known to have had one");

        Assert.Equal(2 * Texts, sent);
        Assert.Equal((6 * 2 * Texts) + 2, calls);
    }

    /// <summary>
    /// The counts must not depend on how busy the machine is: a Twilio call that outlives the rig's 2 s timeout is in
    /// doubt and costs a look-up (a loaded 2-core run counted 603 and 605 instead of 602), so these rigs wait for Twilio.
    /// </summary>
    private static void Patiently(DeliveryRigOptions options) =>
        options.Twilio = twilio => twilio.RequestTimeout = TimeSpan.FromMinutes(2);

    private static RegisterTreatment Registration(Instant now, string externalId, string phone)
    {
        var performedAt = now.WithOffset(Offset.FromHours(1));
        return new RegisterTreatment(
            externalId, "Maya", phone, "en", null,
            new TreatmentDetails("microneedling", "pen", 1.5m, "face", performedAt),
            new SmsConsent(true, performedAt, "tablet-form"));
    }

    private async Task<(int Calls, int Sent)> SweepAsync(DeliveryRig rig, string what)
    {
        using var sweep = rig.RoundTrips.BeginScope();
        var report = await rig.SweepAsync();
        output.WriteLine($"sweep of {report.Sent} {what}: {sweep.Calls} round trips, {(double)sweep.Calls / report.Sent:0.00} per sent text");
        return (sweep.Calls, report.Sent);
    }
}
