using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// The first text a number actually receives from a clinic carries the opt-out line, whichever stage it is; later
/// texts do not repeat it; when it is unclear which text is first (a race, a send in doubt), each candidate carries it.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class FirstTextTests(AzuriteFixture azurite)
{
    private const string Line = "\nReply STOP to opt out.";
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Stages = ["day-1", "day-2"];

    [Fact]
    public async Task A_treatment_registered_three_days_late_sends_its_first_text_with_the_opt_out_line()
    {
        // Defect 4: the welcome and sun-protection texts were stale at registration, so healing-check went first, without it.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var registered = await rig.CreateRegistrar().RegisterAsync(clinic, Registration("late-1", phone, rig.Now - Duration.FromDays(3)), None);
        Assert.Equal(
            [MessageStatus.Skipped, MessageStatus.Skipped, MessageStatus.Scheduled],
            registered.Messages.Take(3).Select(m => m.Status));

        var report = await rig.SweepAsync();

        Assert.Equal(1, report.Sent);
        var first = Assert.Single(rig.CreatedTo(phone));
        Assert.StartsWith("Hi Maya, your redness should be fading by now.", first.Body, StringComparison.Ordinal);
        Assert.EndsWith(" Glow Skin Clinic" + Line, first.Body, StringComparison.Ordinal);
        Assert.InRange(SmsText.Measure(first.Body).Segments, 1, 2);
        var stored = await StoredAsync(rig, clinic.Id, registered, "healing-check");
        Assert.Equal((MessageStatus.Sent, first.Body, first.Sid), (stored.Status, stored.Body, stored.ProviderMessageId));
        Assert.True((await rig.ClientHistory.RecordAsync(clinic.Id, phone, "tr_probe", None)).Texted);

        // Day 5: the next text is not the first any more.
        rig.Advance(Duration.FromDays(2));
        Assert.Equal(1, (await rig.SweepAsync()).Sent);
        var second = rig.CreatedTo(phone)[1];
        Assert.StartsWith("Hi Maya, for now your skin absorbs products", second.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("STOP", second.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_first_text_whose_history_note_was_lost_in_a_crash_leaves_the_next_treatments_first_text_with_the_line_again()
    {
        // The note that a number has had its text is written at the end of the page; a crash before it loses only that.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var registrar = rig.CreateRegistrar();
        await registrar.RegisterAsync(clinic, Registration("crash-1", phone, rig.Now - Duration.FromDays(3)), None);
        var crashing = rig.CreateDispatcher(clientHistory: new CrashingTextedNotes(rig.ClientHistory));

        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.DispatchDueAsync(None));
        Assert.EndsWith(Line, Assert.Single(rig.CreatedTo(phone)).Body, StringComparison.Ordinal);

        var next = await registrar.RegisterAsync(clinic, Registration("crash-2", phone, rig.Now - Duration.FromDays(3)), None);
        Assert.False(next.Treatment.ClientTextedBefore);
        await rig.SweepAsync();

        Assert.Equal(2, rig.CreatedTo(phone).Count);
        Assert.All(rig.CreatedTo(phone), m => Assert.EndsWith(Line, m.Body, StringComparison.Ordinal));
        Assert.DoesNotContain(await rig.AllDueEntriesAsync(), e => e.DueAt <= rig.Now);
    }

    [Fact]
    public async Task A_Spanish_first_text_carries_the_Spanish_line()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        await rig.CreateRegistrar().RegisterAsync(clinic, Registration("late-es", phone, rig.Now - Duration.FromDays(3), locale: "es-MX"), None);

        await rig.SweepAsync();

        var first = Assert.Single(rig.CreatedTo(phone));
        Assert.StartsWith("Hola Maya, la rojez ya deberia ir bajando.", first.Body, StringComparison.Ordinal);
        Assert.EndsWith(" Glow Skin Clinic\nResponde STOP para no recibir mas.", first.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_who_has_had_a_text_from_the_clinic_gets_no_second_line_on_a_late_treatment()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var registrar = rig.CreateRegistrar();
        await registrar.RegisterAsync(clinic, Registration("visit-1", phone, rig.Now), None);
        await rig.SweepAsync();
        var welcome = Assert.Single(rig.CreatedTo(phone));
        Assert.Single(Occurrences(welcome.Body, "Reply STOP to opt out."));

        var late = await registrar.RegisterAsync(clinic, Registration("visit-2", phone, rig.Now - Duration.FromDays(3)), None);
        await rig.SweepAsync();

        Assert.True(late.Treatment.ClientTextedBefore);
        var healingCheck = rig.CreatedTo(phone)[1];
        Assert.StartsWith("Hi Maya, your redness should be fading by now.", healingCheck.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("STOP", healingCheck.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_texts_racing_to_be_a_numbers_first_both_carry_the_line_once()
    {
        // Two dispatchers take one stage each and both read the treatment before either sends (the later claim loses to
        // the earlier one and reads again, while that one is still sending): neither can know the other goes first, so
        // both say how to opt out (a second reminder is harmless; a missing first is not).
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(
            clinic,
            new StagePlan("day-1", Duration.FromMinutes(-2), Body: "Hi Ana, day one: keep your skin clean."),
            new StagePlan("day-2", Duration.FromMinutes(-1), Body: "Hi Ana, day two: use SPF 30+."));
        var sends = new Rendezvous(2);
        var first = rig.CreateDispatcher(new RendezvousAtSendSender(rig.Sender, sends), dueIndex: new StageFilteredDueIndex(rig.DueIndex, "day-1"));
        var second = rig.CreateDispatcher(new RendezvousAtSendSender(rig.Sender, sends), dueIndex: new StageFilteredDueIndex(rig.DueIndex, "day-2"));

        var reports = await Task.WhenAll(first.DispatchDueAsync(None), second.DispatchDueAsync(None));

        Assert.Equal((1, 1), (reports[0].Sent, reports[1].Sent));
        Assert.Equal(
            ["Hi Ana, day one: keep your skin clean." + Line, "Hi Ana, day two: use SPF 30+." + Line],
            rig.CreatedTo(seeded.Phone).Select(m => m.Body).Order(StringComparer.Ordinal));
        Assert.True((await rig.ClientHistory.RecordAsync(clinic.Id, seeded.Phone, "tr_probe", None)).Texted);
    }

    [Fact]
    public async Task Two_treatments_of_a_new_client_registered_before_either_sends_each_carry_the_line_on_their_first_text()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var phone = DeliveryRig.NewPhone();
        var registrar = rig.CreateRegistrar();
        var face = await registrar.RegisterAsync(clinic, Registration("face", phone, rig.Now - Duration.FromDays(3)), None);
        var neck = await registrar.RegisterAsync(clinic, Registration("neck", phone, rig.Now - Duration.FromDays(3)), None);

        await rig.SweepAsync();

        Assert.False(face.Treatment.ClientTextedBefore || neck.Treatment.ClientTextedBefore);
        Assert.Equal(2, rig.CreatedTo(phone).Count);
        Assert.All(rig.CreatedTo(phone), m => Assert.EndsWith(Line, m.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_first_text_in_doubt_is_found_by_its_text_with_the_line_and_the_next_text_carries_the_line_too()
    {
        // Twilio created the first text but answered 500: until the recheck finds it, nobody knows it arrived, so the
        // next text says how to opt out as well. The recheck finds the first by the text on record, line included.
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(
            clinic,
            new StagePlan("day-1", Duration.FromMinutes(-1), Body: "Hi Ana, day one: keep your skin clean."),
            new StagePlan("day-2", Duration.FromSeconds(30), Body: "Hi Ana, day two: use SPF 30+."));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.ServerErrorAfterCreate);

        Assert.Equal(1, (await rig.SweepAsync()).InDoubt);
        Assert.Equal("Hi Ana, day one: keep your skin clean." + Line, (await rig.StoredAsync(seeded, "day-1")).Body);
        rig.Advance(Duration.FromSeconds(30));
        Assert.Equal(1, (await rig.SweepAsync()).Sent);
        rig.Advance(rig.Options.InDoubtRecheck);
        Assert.Equal(1, (await rig.SweepAsync()).Sent);

        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        Assert.Equal(
            ["Hi Ana, day one: keep your skin clean." + Line, "Hi Ana, day two: use SPF 30+." + Line],
            rig.CreatedTo(seeded.Phone).Select(m => m.Body));
        foreach (var (stage, created) in Stages.Zip(rig.CreatedTo(seeded.Phone)))
        {
            var stored = await rig.StoredAsync(seeded, stage);
            Assert.Equal((MessageStatus.Sent, created.Sid, created.Body), (stored.Status, stored.ProviderMessageId, stored.Body));
        }
    }

    [Fact]
    public async Task A_first_text_in_doubt_that_never_left_is_sent_again_with_the_line_once()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1), Body: "Hi Ana, day one: keep your skin clean."));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.DropBeforeCreate);

        Assert.Equal(1, (await rig.SweepAsync()).InDoubt);
        rig.Advance(rig.Options.InDoubtRecheck);
        Assert.Equal(1, (await rig.SweepAsync()).Sent);

        Assert.Equal(2, rig.Twilio.CreateRequests.Count);
        var created = Assert.Single(rig.CreatedTo(seeded.Phone));
        Assert.Equal("Hi Ana, day one: keep your skin clean." + Line, created.Body);
        Assert.Equal(created.Body, (await rig.StoredAsync(seeded, "day-1")).Body);
    }

    [Fact]
    public async Task A_text_deferred_by_a_rate_limit_keeps_its_line_once_when_it_goes()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var clinic = await rig.CreateClinicAsync();
        var seeded = await rig.SeedAsync(clinic, new StagePlan("day-1", Duration.FromMinutes(-1), Body: "Hi Ana, day one: keep your skin clean."));
        rig.Twilio.EnqueueFaults(TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited, TwilioStandInFault.RateLimited);

        Assert.Equal(1, (await rig.SweepAsync()).Deferred);
        rig.Advance(rig.Options.MinimumRetryDelay);
        Assert.Equal(1, (await rig.SweepAsync()).Sent);

        Assert.Equal("Hi Ana, day one: keep your skin clean." + Line, Assert.Single(rig.CreatedTo(seeded.Phone)).Body);
    }

    /// <summary>The real client history, except that a page's batch of first-text notes dies with the process.</summary>
    private sealed class CrashingTextedNotes(IClientHistory inner) : IClientHistory
    {
        public Task<ClientHistory> RecordAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken) =>
            inner.RecordAsync(clinicId, phone, treatmentId, cancellationToken);

        public Task RecordTextedAsync(string clinicId, string phone, Instant at, CancellationToken cancellationToken) =>
            inner.RecordTextedAsync(clinicId, phone, at, cancellationToken);

        public Task RecordTextedAsync(string clinicId, IReadOnlyCollection<string> numbers, Instant at, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The process died before the page's first-text notes were written.");

        public Task<ClientTreatments?> FindAsync(string clinicId, string phone, CancellationToken cancellationToken) =>
            inner.FindAsync(clinicId, phone, cancellationToken);

        public Task<bool> TryMarkErasedAsync(string clinicId, string phone, Core.Privacy.ErasureCounts erased, string etag, CancellationToken cancellationToken) =>
            inner.TryMarkErasedAsync(clinicId, phone, erased, etag, cancellationToken);

        public Task ForgetAsync(string clinicId, string phone, string treatmentId, CancellationToken cancellationToken) =>
            inner.ForgetAsync(clinicId, phone, treatmentId, cancellationToken);
    }

    private static RegisterTreatment Registration(string externalId, string phone, Instant performedAt, string locale = "en")
    {
        var at = performedAt.WithOffset(Offset.FromHours(1));
        return new RegisterTreatment(
            externalId, "Maya", phone, locale, DeliveryRig.ZoneId,
            new TreatmentDetails("microneedling", "pen", 1.5m, "face", at),
            new SmsConsent(true, at, "tablet-form"));
    }

    private static async Task<OutboundMessage> StoredAsync(DeliveryRig rig, string clinicId, RegistrationResult registered, string stageId) =>
        (await rig.Treatments.FindMessageAsync(clinicId, registered.Treatment.TreatmentId, stageId, None))!.Value;

    private static IEnumerable<int> Occurrences(string text, string part)
    {
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }
}
