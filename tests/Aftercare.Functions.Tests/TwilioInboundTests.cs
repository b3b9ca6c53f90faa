using System.Net;
using System.Text.Json;
using Aftercare.Core.Conversation;
using Aftercare.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;
using static Aftercare.Functions.Tests.InboundPosts;

namespace Aftercare.Functions.Tests;

/// <summary>
/// <c>POST /api/twilio/inbound</c> over real HTTP through the local host, with Azurite and form posts signed as Twilio
/// signs them: verification, routing by sender, the keywords, stored replies on the timeline and their erasure.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class TwilioInboundTests(Infrastructure infrastructure)
{

    [Fact]
    public async Task Unsigned_and_tampered_posts_are_refused_with_403_and_store_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-in-1");
        var before = await host.SnapshotStorageAsync();
        var form = Form("SM" + new string('1', 32), "my cheek is swollen");

        using var unsigned = await host.Anonymous.PostAsync(InboundPath, new FormUrlEncodedContent(form));
        await unsigned.AssertProblemAsync(HttpStatusCode.Forbidden);

        var signature = TwilioSignature.Compute(AftercareApp.TwilioAuthToken, "https://aftercare.example" + InboundPath, form);
        var tampered = new Dictionary<string, string>(form) { ["Body"] = "STOP" };
        using var tamperedResponse = await PostAsync(host, InboundPath, tampered, signature);
        await tamperedResponse.AssertProblemAsync(HttpStatusCode.Forbidden);

        var otherToken = TwilioSignature.Compute("some-other-token", "https://aftercare.example" + InboundPath, form);
        using var forged = await PostAsync(host, InboundPath, form, otherToken);
        await forged.AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, await host.SnapshotStorageAsync());
    }

    [Fact]
    public async Task Escapes_and_the_default_port_in_the_signed_url_are_accepted()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-in-2");

        // Twilio signs the URL as configured on the number: an escaped space and tilde, and a ":443" it keeps as written.
        // (The host's forwarding to the worker turns "%7E" into "~"; the verifier tries both.)
        var target = InboundPath + "?site=north%20side%7Eb";
        using var escaped = await PostSignedAsync(host, target, Form("SM" + new string('2', 32), "thanks"), "https://aftercare.example" + target);
        Assert.Equal(HttpStatusCode.OK, escaped.StatusCode);
        var tilde = InboundPath + "?site=north~b";
        using var plain = await PostSignedAsync(host, tilde, Form("SM" + new string('f', 32), "thanks"), "https://aftercare.example" + tilde);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        using var withPort = await PostSignedAsync(host, InboundPath, Form("SM" + new string('3', 32), "thanks again"), "https://aftercare.example:443" + InboundPath);
        Assert.Equal(HttpStatusCode.OK, withPort.StatusCode);

        Assert.Equal(3, Replies(await TimelineAsync(host, clinic, "ext-in-2")).Count);
    }

    [Fact]
    public async Task A_reply_to_a_sender_no_clinic_uses_is_answered_empty_stores_nothing_and_logs_no_number()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-in-3");
        var before = await host.SnapshotStorageAsync();

        var form = Form("SM" + new string('4', 32), "STOP", to: "+15005550001");
        using var response = await PostSignedAsync(host, InboundPath, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await MessagesOfAsync(response));
        Assert.Equal(before, await host.SnapshotStorageAsync());
        Assert.Contains(host.Logs.Lines, line => line.Contains("reached a sender no clinic uses", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(Registrations.Phone, StringComparison.Ordinal) || line.Contains("+15005550001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_suppresses_every_pending_text_at_every_clinic_on_the_sender_in_the_same_request_and_start_lifts_it_for_the_next_registration()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var north = await Clinics.CreateAsync(host);
        var south = await Clinics.CreateAsync(host);
        await RegisterAsync(host, north, "ext-in-4a");
        await RegisterAsync(host, south, "ext-in-4b");

        using var stop = await PostSignedAsync(host, InboundPath, Form("SM" + new string('5', 32), "  stop "));
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Empty(await MessagesOfAsync(stop)); // Twilio confirms STOP itself.

        foreach (var (clinic, externalId) in new[] { (north, "ext-in-4a"), (south, "ext-in-4b") })
        {
            var timeline = await TimelineAsync(host, clinic, externalId);
            Assert.All(timeline.GetProperty("messages").EnumerateArray(), m => Assert.Equal("suppressed", m.GetProperty("status").GetString()));
            var reply = Assert.Single(Replies(timeline));
            Assert.Equal("opt-out", reply.GetProperty("kind").GetString());
            Assert.Equal("  stop ", reply.GetProperty("text").GetString());
        }

        // Nothing goes out afterwards.
        await host.InvokeTimerAsync();
        Assert.DoesNotContain(host.Twilio.Requests, r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal));

        // Opted out at both: a registration now schedules nothing.
        var optedOut = await RegisterAsync(host, north, "ext-in-4c", expected: HttpStatusCode.Created);
        Assert.Equal("opted-out", optedOut.GetProperty("status").GetString());

        using var start = await PostSignedAsync(host, InboundPath, Form("SM" + new string('6', 32), "Start"));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Empty(await MessagesOfAsync(start));

        // Texts suppressed earlier stay suppressed; a treatment registered afterwards is scheduled normally.
        Assert.All(
            (await TimelineAsync(host, south, "ext-in-4b")).GetProperty("messages").EnumerateArray(),
            m => Assert.Equal("suppressed", m.GetProperty("status").GetString()));
        var after = await RegisterAsync(host, south, "ext-in-4d");
        Assert.Equal("active", after.GetProperty("status").GetString());
        Assert.All(after.GetProperty("messages").EnumerateArray(), m => Assert.Equal("scheduled", m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Twilio_advanced_opt_out_type_opts_out_whatever_the_body_says()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-in-5");

        var form = Form("SM" + new string('7', 32), "arret");
        form["OptOutType"] = "STOP";
        using var response = await PostSignedAsync(host, InboundPath, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await MessagesOfAsync(response));
        Assert.Equal("suppressed", Registrations.Status(await TimelineAsync(host, clinic, "ext-in-5"), "welcome-redness"));
    }

    [Fact]
    public async Task Help_is_answered_once_with_the_clinic_contact_and_the_stop_line_in_the_client_language()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host, contactPhone: "+442079460123");
        await RegisterAsync(host, clinic, "ext-in-6");

        using var help = await PostSignedAsync(host, InboundPath, Form("SM" + new string('8', 32), "HELP"));
        Assert.Equal(HttpStatusCode.OK, help.StatusCode);
        var answer = Assert.Single(await MessagesOfAsync(help));
        Assert.Contains("Riverside Skin Clinic", answer, StringComparison.Ordinal);
        Assert.Contains("+442079460123", answer, StringComparison.Ordinal);
        Assert.EndsWith("Reply STOP to opt out.", answer, StringComparison.Ordinal);

        // Twilio posts it again only when it did not take our answer: it gets the same answer, and no second reply is stored.
        using var again = await PostSignedAsync(host, InboundPath, Form("SM" + new string('8', 32), "HELP"));
        Assert.Equal(answer, Assert.Single(await MessagesOfAsync(again)));

        // A Spanish-speaking client asks in Spanish, accent and all.
        await RegisterAsync(host, clinic, "ext-in-6es", phone: SpanishPhone, locale: "es");
        using var ayuda = await PostSignedAsync(host, InboundPath, Form("SM" + new string('9', 32), "Ayuda", from: SpanishPhone));
        var respuesta = Assert.Single(await MessagesOfAsync(ayuda));
        Assert.Contains("Llamanos al +442079460123", respuesta, StringComparison.Ordinal);
        Assert.EndsWith("Responde STOP para no recibir mas.", respuesta, StringComparison.Ordinal);

        // Twilio answered HELP itself (Advanced Opt-Out): we stay silent.
        var withType = Form("SM" + new string('a', 32), "info");
        withType["OptOutType"] = "HELP";
        using var silent = await PostSignedAsync(host, InboundPath, withType);
        Assert.Empty(await MessagesOfAsync(silent));

        Assert.Equal(["help", "help"], Replies(await TimelineAsync(host, clinic, "ext-in-6")).Select(r => r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Help_is_left_to_twilio_when_the_account_answers_it()
    {
        await using var host = await AftercareApp.StartAsync(
            infrastructure,
            TreatedAt.AddMinutes(15),
            services => services.Replace(ServiceDescriptor.Singleton(new InboundOptions { TwilioAnswersHelp = true })));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-in-9");

        using var help = await PostSignedAsync(host, InboundPath, Form("SM" + new string('c', 32), "help"));

        Assert.Empty(await MessagesOfAsync(help));
        Assert.Equal("help", Assert.Single(Replies(await TimelineAsync(host, clinic, "ext-in-9"))).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_free_text_reply_lands_once_on_the_latest_treatment_and_erasure_erases_its_text()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var clinic = await Clinics.CreateAsync(host);
        await RegisterAsync(host, clinic, "ext-in-7a");
        await RegisterAsync(host, clinic, "ext-in-7b");
        const string text = "My cheeks are still quite red, is that normal?";

        var form = Form("SM" + new string('b', 32), text);
        using var first = await PostSignedAsync(host, InboundPath, form);
        using var repeated = await PostSignedAsync(host, InboundPath, form);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Empty(await MessagesOfAsync(first));

        Assert.Empty(Replies(await TimelineAsync(host, clinic, "ext-in-7a")));
        var reply = Assert.Single(Replies(await TimelineAsync(host, clinic, "ext-in-7b")));
        Assert.Equal(text, reply.GetProperty("text").GetString());
        Assert.Equal("text", reply.GetProperty("kind").GetString());
        Assert.Equal(TreatedAt.AddMinutes(15), reply.GetProperty("receivedAtUtc").GetDateTimeOffset());
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(text, StringComparison.Ordinal) || line.Contains(Registrations.Phone, StringComparison.Ordinal));

        using var erased = await host.SendSignedAsync(HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/{Uri.EscapeDataString(Registrations.Phone)}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var afterErasure = Assert.Single(Replies(await TimelineAsync(host, clinic, "ext-in-7b")));
        Assert.Equal(JsonValueKind.Null, afterErasure.GetProperty("text").ValueKind);
        Assert.Equal("text", afterErasure.GetProperty("kind").GetString());
        Assert.DoesNotContain(await host.RawEntitiesAsync(), e => ((IDictionary<string, object>)e).Values.OfType<string>().Any(v => v.Contains(text, StringComparison.Ordinal)));
    }
}
