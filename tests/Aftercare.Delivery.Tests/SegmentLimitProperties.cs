using System.Globalization;
using Aftercare.Core.Clinics;
using Aftercare.Core.Delivery;
using Aftercare.Core.Messaging;
using Aftercare.Core.Treatments;
using Aftercare.Delivery.Tests.Support;
using Aftercare.Testing;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using NodaTime;

namespace Aftercare.Delivery.Tests;

/// <summary>
/// Defect 7, as a class: whatever the client's first name (GSM-7 letters, extension characters, '…', emoji, CJK, a mix;
/// within its limit or far beyond it), plan, stage, locale, clinic name, clinic override and lateness of registration,
/// every text the dispatcher hands to the SMS port is at most two segments, and it is the stage's template filled with
/// the clinic's and client's values where only the name part may be shortened (folded or left out), with the opt-out
/// line added to the treatment's first text and never twice. Registered through <see cref="TreatmentRegistrar"/> and
/// sent through <see cref="MessageDispatcher"/> on Azurite, into a recording sender. Seeded; a failure shrinks.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class SegmentLimitProperties(AzuriteFixture azurite)
{
    private const int Cases = 100;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Replay Seed = new(new Rnd(20260601UL, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None);

    private static readonly string[] Basic = [.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ -'".Select(c => c.ToString())];
    private static readonly string[] Extension = ["€", "[", "]", "{", "}", "~", "|", "^", "\\"];
    private static readonly string[] Emoji = ["😀", "✨", "🌿", "💉", "👩🏽"];
    private static readonly string[] Cjk = ["王", "小", "明", "李", "美", "玲", "さ", "く", "ら", "민", "지"];
    private static readonly string[] Accented = ["ë", "ł", "ś", "ễ", "ç", "ñ", "ü", "á", "ő", "ı"];
    private static readonly string[] Locales = ["en", "es", "es-MX", "en-GB"];

    private static readonly string[] ClinicNames =
    [
        "Glow",
        MessageTemplates.LongestValues[MessageTemplates.ClinicName],
        "Clínica Estética Zoë ✨ Spa",
        "Skin [&] Co €",
        "Dr. Åkesson’s Studio…",
    ];

    private static readonly string[] OverrideWords =
    [
        "your", "skin", "may", "feel", "warm", "today;", "keep", "it", "clean,", "use", "SPF", "30+", "and", "call", "us.",
        "tu", "piel", "está", "sensible:", "evita", "el", "sol", "día", "sesión", "€20", "[info]", "🌿", "{clinicPhone}", "{bookingUrl}",
    ];

    [Fact]
    public async Task Every_text_handed_to_the_sender_fits_two_segments_and_only_its_name_part_is_shortened()
    {
        await using var rig = await DeliveryRig.StartAsync(azurite.ConnectionString);
        var sender = new RecordingSmsSender(rig.Clock);
        var dispatcher = rig.CreateDispatcher(sender);
        var registrar = rig.CreateRegistrar();
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases).WithReplay(FSharpOption<Replay>.Some(Seed));

        // The property runs on the thread pool: each case blocks on its own storage calls, which must not need this thread.
        await Task.Run(() => Check.One(config, Prop.ForAll(Scenarios(), (Scenario scenario) =>
            RunAsync(rig, registrar, dispatcher, sender, scenario).GetAwaiter().GetResult())));
    }

    private static async Task RunAsync(DeliveryRig rig, TreatmentRegistrar registrar, MessageDispatcher dispatcher, RecordingSmsSender sender, Scenario scenario)
    {
        var clinic = scenario.Clinic(rig.Now);
        await rig.Clinics.CreateAsync(clinic, None);
        var phone = DeliveryRig.NewPhone();
        var performedAt = (rig.Now - Duration.FromDays(scenario.DaysLate)).WithOffset(Offset.FromHours(1));
        var registered = await registrar.RegisterAsync(
            clinic,
            new RegisterTreatment(
                "visit-" + phone, scenario.FirstName, phone, scenario.Locale, DeliveryRig.ZoneId,
                new TreatmentDetails("microneedling", scenario.Device, scenario.DepthMm, scenario.Area, performedAt),
                new SmsConsent(true, performedAt, "tablet-form")),
            None);

        // One sweep at each scheduled message's due time, in order, so each text finds the ones before it sent.
        var scheduled = registered.Messages.Where(m => m.Status == MessageStatus.Scheduled).OrderBy(m => m.DueAt).ToList();
        var sent = new List<(OutboundMessage Message, string Text, int Sweep)>();
        for (var sweep = 0; sweep < scheduled.Count; sweep++)
        {
            if (scheduled[sweep].DueAt > rig.Now)
            {
                rig.Clock.Set(scheduled[sweep].DueAt.ToDateTimeOffset());
            }

            var before = sender.Requests.Count;
            await dispatcher.DispatchDueAsync(None);
            foreach (var request in sender.Requests.Skip(before).Where(r => r.To == phone))
            {
                var message = (await rig.Treatments.FindAsync(clinic.Id, registered.Treatment.TreatmentId, None))!.Messages
                    .Single(m => m.Value.Body == request.Body).Value;
                sent.Add((message, request.Body, sweep));
            }
        }

        Assert.Equal(scheduled.Count, sent.Count);
        var plan = ShippedPlans.Catalog.Find(registered.Treatment.PlanId)!;
        var firstSweep = sent.Count == 0 ? -1 : sent.Min(s => s.Sweep);
        foreach (var (message, text, sweep) in sent)
        {
            var measure = SmsText.Measure(text);
            Assert.True(measure.Segments <= ContentLimits.MaxSegments, $"{measure.Segments} segments: {text}");
            var stage = plan.Stages.Single(s => s.Id == message.StageId);
            var locale = MessageRenderer.ChooseLocale(stage, scenario.Locale, clinic.DefaultLocale);
            var template = clinic.TemplateOverrides.GetValueOrDefault(Clinic.TemplateOverrideKey(stage.Id, locale)) ?? stage.Templates[locale];
            var line = OptOutLine.For(locale);
            var withLine = sweep == firstSweep && !OptOutLine.IsIn(SmsText.Normalize(template), locale);
            var filled = FilledForms(template, scenario.FirstName, clinic);
            Assert.True(
                filled.Any(f => text == (withLine ? f + "\n" + line : f)),
                $"{message.StageId} ({locale}, first: {withLine}) was not its template with only the name part shortened: {text}");
            Assert.True(text.Split(line).Length <= 2, $"the opt-out line twice: {text}");
        }

        if (sent.Count > 0)
        {
            Assert.Contains(OptOutLine.For(sent[0].Message.Locale), sent[0].Text, StringComparison.Ordinal);
        }
    }

    /// <summary>The template filled with each form the renderer may give the names: as written, folded, or (first name) none.</summary>
    private static List<string> FilledForms(string template, string firstName, Clinic clinic)
    {
        var first = new[] { firstName.Trim(), GsmFolding.Fold(firstName.Trim()), string.Empty };
        var clinicName = new[] { clinic.Name.Trim(), GsmFolding.Fold(clinic.Name.Trim()) };
        return [.. first.SelectMany(f => clinicName.Select(c => SmsText.Normalize(MessageTemplates.Fill(template, new Dictionary<string, string>
        {
            [MessageTemplates.FirstName] = f,
            [MessageTemplates.ClinicName] = c,
            [MessageTemplates.BookingUrl] = clinic.BookingUrl,
            [MessageTemplates.ClinicPhone] = clinic.ContactPhone,
        }))))];
    }

    private static Arbitrary<Scenario> Scenarios()
    {
        var piece = Gen.Frequency(
            (6, Gen.Elements(Basic)),
            (2, Gen.Elements(Extension)),
            (2, Gen.Constant("\u2026")),
            (2, Gen.Elements(Emoji)),
            (2, Gen.Elements(Cjk)),
            (2, Gen.Elements(Accented)));
        var name = Gen.Frequency(
                (3, Gen.Choose(1, 12)),
                (2, Gen.Choose(13, 30)))
            .SelectMany(n => Gen.ArrayOf(piece, n))
            .Select(pieces => string.Concat(pieces))
            .Where(n => !string.IsNullOrWhiteSpace(n));
        var treatment = Gen.Elements(
            ("pen", (decimal?)1.5m, "face"),
            ("home roller", null, "face"),
            ("pen", 0.5m, "neck"),
            ("pen", 2.0m, "stretch marks on thighs"));

        var gen =
            from firstName in name
            from kind in treatment
            from locale in Gen.Elements(Locales)
            from daysLate in Gen.Frequency((3, Gen.Elements(0, 1, 3, 5, 42, 56)), (1, Gen.Choose(0, 60)))
            from clinicName in Gen.Elements(ClinicNames)
            from overrideStage in Gen.Elements("", "welcome-redness", "sun-protection", "healing-check", "patch-test", "rebook")
            from wordCount in Gen.Choose(5, 80)
            from words in Gen.ArrayOf(Gen.Elements(OverrideWords), wordCount)
            select new Scenario(firstName, kind.Item1, kind.Item2, kind.Item3, locale, daysLate, clinicName, Override(overrideStage, locale, words));
        return Arb.From(gen, Shrink);
    }

    /// <summary>A clinic override for the stage in the client's language, as long as <see cref="MessageTemplates.Validate"/> allows.</summary>
    private static StageOverride? Override(string stageId, string locale, string[] words)
    {
        if (stageId.Length == 0)
        {
            return null;
        }

        var language = locale[..2];
        var count = words.Length;
        string template;
        do
        {
            template = (language == "es" ? "Hola {firstName}, " : "Hi {firstName}, ") + string.Join(' ', words.Take(count)) + " {clinicName}";
        }
        while (MessageTemplates.Validate(template, language).Count > 0 && --count > 0);
        return new StageOverride(stageId, language, template);
    }

    private static IEnumerable<Scenario> Shrink(Scenario s)
    {
        if (s.Override is not null)
        {
            yield return s with { Override = null };
        }

        if (s.DaysLate != 0)
        {
            yield return s with { DaysLate = 0 };
        }

        if (s.Locale != "en")
        {
            yield return s with { Locale = "en" };
        }

        if (s.ClinicName != ClinicNames[0])
        {
            yield return s with { ClinicName = ClinicNames[0] };
        }

        var elements = StringInfo.GetTextElementEnumerator(s.FirstName);
        var parts = new List<string>();
        while (elements.MoveNext())
        {
            parts.Add(elements.GetTextElement());
        }

        for (var i = 0; i < parts.Count && parts.Count > 1; i++)
        {
            var shorter = string.Concat(parts.Take(i).Concat(parts.Skip(i + 1)));
            if (!string.IsNullOrWhiteSpace(shorter))
            {
                yield return s with { FirstName = shorter };
            }
        }
    }

    public sealed record StageOverride(string StageId, string Locale, string Template);

    public sealed record Scenario(
        string FirstName, string Device, decimal? DepthMm, string Area, string Locale, int DaysLate, string ClinicName, StageOverride? Override)
    {
        public Clinic Clinic(Instant now) => new()
        {
            Id = ClinicIds.Create(),
            Name = ClinicName,
            TimeZoneId = DeliveryRig.ZoneId,
            SenderPhone = DeliveryRig.SenderPhone,
            BookingUrl = MessageTemplates.LongestValues[MessageTemplates.BookingUrl],
            ContactPhone = MessageTemplates.LongestValues[MessageTemplates.ClinicPhone],
            QuietHours = new QuietHours(LocalTime.Midnight, LocalTime.Midnight),
            DefaultLocale = "en",
            WebhookSecret = "not-used-by-the-dispatcher",
            TemplateOverrides = Override is { } o
                ? new Dictionary<string, string> { [Core.Clinics.Clinic.TemplateOverrideKey(o.StageId, o.Locale)] = o.Template }
                : new Dictionary<string, string>(),
            CreatedAt = now,
        };

        public override string ToString() =>
            $"name \"{FirstName}\" ({ContentLimits.Units(FirstName)} units), {Device} {DepthMm} {Area}, {Locale}, {DaysLate} days late, " +
            $"clinic \"{ClinicName}\", override {(Override is { } o ? $"{o.StageId}/{o.Locale}: {o.Template}" : "none")}";
    }
}
