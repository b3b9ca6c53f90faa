using System.Net;
using System.Text.Json;
using Aftercare.Core.Alerts;
using Aftercare.Core.Security;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Aftercare.Functions.Tests.InboundPosts;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The conversation end to end over real HTTP through the local host: a signed Twilio inbound post is triaged, an
/// urgent one is answered and alerts the clinic through the outbox and the <c>DeliverClinicAlerts</c> timer, to a
/// loopback receiver that verifies the clinic signature; the timeline shows the triage and the alert's delivery.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class ReplyAlertTests(Infrastructure infrastructure)
{
    private const string EnglishUrgent = "my face is really swollen and theres pus coming out";
    private const string SpanishUrgent = "tengo la cara muy hinchada y me sale pus";

    [Fact]
    public async Task An_urgent_reply_in_english_and_one_in_spanish_each_produce_exactly_one_signed_alert_and_an_answer_to_call_the_clinic()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddHours(20));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        await RegisterAsync(host, clinic, "ext-ra-en");
        await RegisterAsync(host, clinic, "ext-ra-es", phone: SpanishPhone, locale: "es");
        var englishSid = "SM" + new string('a', 31) + "1";
        var spanishSid = "SM" + new string('a', 31) + "2";

        foreach (var (sid, text, from) in new[] { (englishSid, EnglishUrgent, Registrations.Phone), (spanishSid, SpanishUrgent, SpanishPhone) })
        {
            // Twilio posts it twice (it did not take our first answer): one reply, one alert, the same answer.
            using var first = await PostSignedAsync(host, InboundPath, Form(sid, text, from: from));
            using var repeated = await PostSignedAsync(host, InboundPath, Form(sid, text, from: from));
            var answer = Assert.Single(await MessagesOfAsync(first));
            Assert.Equal(answer, Assert.Single(await MessagesOfAsync(repeated)));
            Assert.Contains("+442079460000", answer, StringComparison.Ordinal);
            Assert.Contains(from == SpanishPhone ? "llam" : "call", answer, StringComparison.OrdinalIgnoreCase);
        }

        await host.InvokeAlertsAsync();
        await host.InvokeAlertsAsync(); // Nothing left to post.

        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal(SignatureCheck.Valid, r.Signature));
        var byKey = receiver.Received.ToDictionary(r => r.IdempotencyKey, r => JsonDocument.Parse(r.Body).RootElement);
        foreach (var (sid, text, externalId, from) in new[] { (englishSid, EnglishUrgent, "ext-ra-en", Registrations.Phone), (spanishSid, SpanishUrgent, "ext-ra-es", SpanishPhone) })
        {
            var alert = byKey[ClinicAlertIds.ForReply(sid)];
            Assert.Equal(ClinicAlertIds.ForReply(sid), alert.GetProperty("id").GetString());
            Assert.Equal("client-reply-urgent", alert.GetProperty("type").GetString());
            Assert.Equal(clinic.Id, alert.GetProperty("clinicId").GetString());
            Assert.Equal(externalId, alert.GetProperty("treatment").GetProperty("externalId").GetString());
            Assert.Equal("Maya", alert.GetProperty("client").GetProperty("firstName").GetString());
            Assert.Equal(from, alert.GetProperty("client").GetProperty("phone").GetString());
            var reply = alert.GetProperty("reply");
            Assert.Equal(text, reply.GetProperty("text").GetString());
            Assert.Equal("urgent", reply.GetProperty("triage").GetString());
            Assert.Equal(host.Clock.GetUtcNow(), reply.GetProperty("receivedAt").GetDateTimeOffset());
            Assert.Contains(reply.GetProperty("matchedRules").EnumerateArray(), r => r.GetString()!.Contains("pus", StringComparison.Ordinal));

            var stored = Assert.Single(Replies(await TimelineAsync(host, clinic, externalId)));
            Assert.Equal("urgent", stored.GetProperty("triage").GetString());
            Assert.NotEmpty(stored.GetProperty("matchedRules").EnumerateArray());
            Assert.Equal("delivered", stored.GetProperty("alert").GetProperty("status").GetString());
            Assert.Equal(1, stored.GetProperty("alert").GetProperty("attempts").GetInt32());
        }

        // Logs carry ids, kinds and triage: never the number or the text.
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains("swollen", StringComparison.Ordinal) || line.Contains("hinchada", StringComparison.Ordinal)
            || line.Contains(Registrations.Phone, StringComparison.Ordinal) || line.Contains(SpanishPhone, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_urgent_reply_reaches_a_receiver_that_answers_503_for_ten_minutes_once_it_recovers()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddHours(20));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        await RegisterAsync(host, clinic, "ext-ra-503");
        var recoversAt = host.Clock.GetUtcNow().AddMinutes(10);
        receiver.Answer = () => host.Clock.GetUtcNow() < recoversAt ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;

        var sid = "SM" + new string('b', 31) + "3";
        using var posted = await PostSignedAsync(host, InboundPath, Form(sid, EnglishUrgent));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        // The timer ticks every minute on the test's clock, for an hour at most.
        for (var minute = 0; minute < 60 && !receiver.Received.Any(r => r.AnsweredStatus == StatusCodes.Status200OK); minute++)
        {
            await host.InvokeAlertsAsync();
            host.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var delivered = Assert.Single(receiver.Received, r => r.AnsweredStatus == StatusCodes.Status200OK);
        Assert.True(host.Clock.GetUtcNow() >= recoversAt);
        Assert.Contains(receiver.Received, r => r.AnsweredStatus == StatusCodes.Status503ServiceUnavailable);
        Assert.All(receiver.Received, r => Assert.Equal(ClinicAlertIds.ForReply(sid), r.IdempotencyKey));
        Assert.Equal(SignatureCheck.Valid, delivered.Signature);
        var alert = Assert.Single(Replies(await TimelineAsync(host, clinic, "ext-ra-503"))).GetProperty("alert");
        Assert.Equal("delivered", alert.GetProperty("status").GetString());
        // An attempt is one sweep's claim, which may post up to three times (Polly's quick retries).
        Assert.InRange(alert.GetProperty("attempts").GetInt32(), 2, receiver.Received.Count);
    }

    [Fact]
    public async Task A_question_is_triaged_and_stored_and_alerts_only_once_the_clinic_asks_for_client_replies()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddHours(20));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        await RegisterAsync(host, clinic, "ext-ra-q");

        using var first = await PostSignedAsync(host, InboundPath, Form("SM" + new string('c', 31) + "4", "can I wear makeup tomorrow?"));
        Assert.Empty(await MessagesOfAsync(first)); // Only an urgent reply is answered.

        using var update = await PatchAlertTypesAsync(host, clinic.Id, "client-reply-urgent", "client-reply", "message-failed");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(
            ["client-reply-urgent", "client-reply", "message-failed"],
            (await update.ReadJsonAsync()).GetProperty("alertTypes").EnumerateArray().Select(t => t.GetString()));

        using var second = await PostSignedAsync(host, InboundPath, Form("SM" + new string('c', 31) + "5", "thanks, and when can I use retinol again?"));
        Assert.Empty(await MessagesOfAsync(second));
        await host.InvokeAlertsAsync();

        var received = Assert.Single(receiver.Received);
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("client-reply", body.GetProperty("type").GetString());
        Assert.Equal("question", body.GetProperty("reply").GetProperty("triage").GetString());
        var replies = Replies(await TimelineAsync(host, clinic, "ext-ra-q"));
        Assert.Equal(["question", "question"], replies.Select(r => r.GetProperty("triage").GetString()));
        Assert.Equal(JsonValueKind.Null, replies[0].GetProperty("alert").ValueKind);
        Assert.Equal("delivered", replies[1].GetProperty("alert").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_clinic_without_an_alert_url_sees_the_urgent_reply_on_its_timeline_and_nothing_waits_in_the_outbox()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddHours(20));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-ra-none");

        using var posted = await PostSignedAsync(host, InboundPath, Form("SM" + new string('d', 31) + "6", EnglishUrgent));
        Assert.Single(await MessagesOfAsync(posted));

        var reply = Assert.Single(Replies(await TimelineAsync(host, clinic, "ext-ra-none")));
        Assert.Equal("urgent", reply.GetProperty("triage").GetString());
        Assert.Equal("timeline-only", reply.GetProperty("alert").GetProperty("status").GetString());
        Assert.DoesNotContain(await host.RawRowsAsync(), row => row.Table.EndsWith("alerts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_alerts_a_clinic_that_asked_for_opt_outs_and_not_one_that_did_not()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddHours(20));
        var (north, northReceiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        var (south, southReceiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var northLifetime = northReceiver;
        await using var southLifetime = southReceiver;
        using var update = await PatchAlertTypesAsync(host, north.Id, "client-reply-urgent", "client-opted-out");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        await RegisterAsync(host, north, "ext-ra-stop-n");
        await RegisterAsync(host, south, "ext-ra-stop-s");

        using var stop = await PostSignedAsync(host, InboundPath, Form("SM" + new string('e', 31) + "7", "STOP"));
        Assert.Empty(await MessagesOfAsync(stop));
        await host.InvokeAlertsAsync();

        var received = Assert.Single(northReceiver.Received);
        Assert.Equal(SignatureCheck.Valid, received.Signature);
        var body = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("client-opted-out", body.GetProperty("type").GetString());
        Assert.Equal("ext-ra-stop-n", body.GetProperty("treatment").GetProperty("externalId").GetString());
        Assert.False(body.TryGetProperty("reply", out _));
        Assert.Empty(southReceiver.Received);
    }

    [Fact]
    public async Task Alert_types_are_validated_and_always_include_urgent_replies()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt);
        var clinic = await Clinics.CreateAsync(host);
        var before = await host.SnapshotStorageAsync();

        using var withoutUrgent = await PatchAlertTypesAsync(host, clinic.Id, "message-failed");
        Assert.True((await withoutUrgent.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("alertTypes", out _));
        using var unknown = await PatchAlertTypesAsync(host, clinic.Id, "client-reply-urgent", "everything");
        Assert.True((await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("alertTypes[1]", out _));
        using var twice = await PatchAlertTypesAsync(host, clinic.Id, "client-reply-urgent", "client-reply-urgent");
        Assert.True((await twice.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("alertTypes[1]", out _));
        Assert.Equal(before, await host.SnapshotStorageAsync());

        using var read = await host.Admin.GetAsync($"/api/manage/clinics/{clinic.Id}");
        Assert.Equal(["client-reply-urgent", "message-failed"], (await read.ReadJsonAsync()).GetProperty("alertTypes").EnumerateArray().Select(t => t.GetString()));
        using var onlyUrgent = await PatchAlertTypesAsync(host, clinic.Id, "client-reply-urgent");
        Assert.Equal(["client-reply-urgent"], (await onlyUrgent.ReadJsonAsync()).GetProperty("alertTypes").EnumerateArray().Select(t => t.GetString()));
    }

    private static Task<HttpResponseMessage> PatchAlertTypesAsync(AftercareApp host, string clinicId, params string[] alertTypes) =>
        host.Admin.PatchAsync(
            $"/api/manage/clinics/{clinicId}",
            new StringContent(JsonSerializer.Serialize(new { alertTypes }), System.Text.Encoding.UTF8, "application/json"));
}
