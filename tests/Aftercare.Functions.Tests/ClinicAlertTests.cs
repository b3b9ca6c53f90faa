using System.Text.Json;
using Aftercare.Core;
using Aftercare.Core.Alerts;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Aftercare.Core.Treatments;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Clinic alerts end to end: an alert written to the outbox (as the inbound webhook will) is posted by the
/// <c>DeliverClinicAlerts</c> timer, through the local host, to a receiver on loopback that verifies the clinic signature;
/// an endpoint that is down gets it when it recovers; concurrent sweeps post it once. The outbox keeps the client's name,
/// phone and reply text only until the alert settles, and an erasure of the client reaches an alert still waiting.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class ClinicAlertTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_urgent_reply_alert_arrives_once_signed_with_the_clinics_secret_in_the_documented_shape()
    {
        var events = new AlertEventRecorder();
        await using var host = await AftercareApp.StartAsync(infrastructure, Now, services => DecorateAlertEvents(services, events));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        var alert = UrgentReply(clinic.Id, host.Clock, "SM0000000000000000000000000000001a");
        Assert.True(await Outbox(host).AddAsync(alert, CancellationToken.None));
        Assert.False(await Outbox(host).AddAsync(alert, CancellationToken.None)); // The same alert again stores nothing.

        await host.InvokeAlertsAsync();
        await host.InvokeAlertsAsync(); // Nothing left to post.

        var received = Assert.Single(receiver.Received);
        Assert.Equal(SignatureCheck.Valid, received.Signature);
        Assert.Equal(alert.Id, received.IdempotencyKey);
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(received.Body);
        var root = json.RootElement;
        Assert.Equal(alert.Id, root.GetProperty("id").GetString());
        Assert.Equal("client-reply-urgent", root.GetProperty("type").GetString());
        Assert.Equal("2026-11-20T14:30:00Z", root.GetProperty("createdAt").GetString());
        Assert.Equal(clinic.Id, root.GetProperty("clinicId").GetString());
        Assert.Equal("ext-alert-1", root.GetProperty("treatment").GetProperty("externalId").GetString());
        Assert.Equal(TreatmentIds.For(clinic.Id, "ext-alert-1"), root.GetProperty("treatment").GetProperty("treatmentId").GetString());
        Assert.Equal("Maya", root.GetProperty("client").GetProperty("firstName").GetString());
        Assert.Equal(Registrations.Phone, root.GetProperty("client").GetProperty("phone").GetString());
        Assert.Equal("my face is swollen and there's pus", root.GetProperty("reply").GetProperty("text").GetString());
        Assert.Equal("urgent", root.GetProperty("reply").GetProperty("triage").GetString());
        Assert.Equal(["en.pus", "en.swelling"], root.GetProperty("reply").GetProperty("matchedRules").EnumerateArray().Select(r => r.GetString()));
        Assert.False(root.TryGetProperty("message", out _));

        var stored = await Outbox(host).FindAsync(alert.Id, alert.CreatedAt, CancellationToken.None);
        Assert.Equal(AlertDeliveryStatus.Delivered, stored!.Value.Status);
        Assert.Equal(1, stored.Value.Attempts);
        Assert.Equal(alert.WithoutClientData() with { Reply = stored.Value.Alert.Reply }, stored.Value.Alert);
        Assert.Equal(["en.pus", "en.swelling"], stored.Value.Alert.Reply!.MatchedRules);
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [Registrations.Phone, "Maya", "swollen"]));
        Assert.Equal(new RecordedAlertEvent("AlertDelivered", alert.Id, 1, null), Assert.Single(events.Events, e => e.AlertId is not null));

        // Telemetry and logs carry ids, types and counts: never the name, the number or the reply.
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(Registrations.Phone, StringComparison.Ordinal)
            || line.Contains("swollen", StringComparison.Ordinal) || line.Contains("Maya", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_answering_503_for_ten_minutes_gets_the_alert_after_it_recovers()
    {
        var events = new AlertEventRecorder();
        await using var host = await AftercareApp.StartAsync(infrastructure, Now, services => DecorateAlertEvents(services, events));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        var recoversAt = Now.AddMinutes(10);
        receiver.Answer = () => host.Clock.GetUtcNow() < recoversAt ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        var alert = UrgentReply(clinic.Id, host.Clock, "SM0000000000000000000000000000002b");
        await Outbox(host).AddAsync(alert, CancellationToken.None);

        // The timer ticks every minute on the test's clock, for an hour at most.
        for (var minute = 0; minute < 60 && !receiver.Received.Any(r => r.AnsweredStatus == StatusCodes.Status200OK); minute++)
        {
            await host.InvokeAlertsAsync();
            host.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(receiver.Received, r => r.AnsweredStatus == StatusCodes.Status200OK);
        Assert.Contains(receiver.Received, r => r.AnsweredStatus == StatusCodes.Status503ServiceUnavailable);
        Assert.All(receiver.Received, r => Assert.Equal(SignatureCheck.Valid, r.Signature));
        Assert.All(receiver.Received, r => Assert.Equal(alert.Id, r.IdempotencyKey));

        var retries = events.Events.Where(e => e.Name == "AlertRetrying").ToList();
        var delivered = Assert.Single(events.Events, e => e.Name == "AlertDelivered");
        Assert.NotEmpty(retries);
        Assert.Equal(Enumerable.Range(1, retries.Count), retries.Select(e => e.Attempts));
        Assert.Equal(retries.Count + 1, delivered.Attempts);
        Assert.DoesNotContain(events.Events, e => e.Name == "AlertFailed");

        var stored = await Outbox(host).FindAsync(alert.Id, alert.CreatedAt, CancellationToken.None);
        Assert.Equal(AlertDeliveryStatus.Delivered, stored!.Value.Status);
        Assert.Equal(delivered.Attempts, stored.Value.Attempts);
    }

    [Fact]
    public async Task An_alert_still_undelivered_a_day_after_it_was_created_is_failed_and_kept()
    {
        var events = new AlertEventRecorder();
        await using var host = await AftercareApp.StartAsync(infrastructure, Now, services => DecorateAlertEvents(services, events));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        receiver.Answer = () => StatusCodes.Status500InternalServerError;
        var alert = UrgentReply(clinic.Id, host.Clock, "SM0000000000000000000000000000003c");
        await Outbox(host).AddAsync(alert, CancellationToken.None);

        await host.InvokeAlertsAsync();
        host.Clock.Advance(TimeSpan.FromHours(24));
        await host.InvokeAlertsAsync();
        host.Clock.Advance(TimeSpan.FromHours(1));
        await host.InvokeAlertsAsync();

        Assert.Equal(["AlertRetrying", "AlertFailed"], events.Events.Where(e => e.AlertId is not null).Select(e => e.Name));
        Assert.Equal(2, events.Events.Single(e => e.Name == "AlertFailed").Attempts);
        var stored = await Outbox(host).FindAsync(alert.Id, alert.CreatedAt, CancellationToken.None);
        Assert.Equal(AlertDeliveryStatus.Failed, stored!.Value.Status);
        Assert.Equal("HTTP 500", stored.Value.LastError);
        Assert.True(stored.Value.Alert.IsClientDataErased);
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [Registrations.Phone, "Maya", "swollen"]));
    }

    [Fact]
    public async Task Erasing_the_client_while_an_alert_waits_fails_it_unsent_and_the_outbox_keeps_no_name_number_or_text()
    {
        var events = new AlertEventRecorder();
        await using var host = await AftercareApp.StartAsync(infrastructure, Now, services => DecorateAlertEvents(services, events));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        using (var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-alert-1", Now.AddMinutes(-15))))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        }

        // The clinic's endpoint is down, so the message-failed alert for her first text is still waiting when she is erased.
        receiver.Answer = () => StatusCodes.Status503ServiceUnavailable;
        var record = await host.Services.GetRequiredService<ITreatmentStore>().FindAsync(clinic.Id, TreatmentIds.For(clinic.Id, "ext-alert-1"), CancellationToken.None);
        var alert = MessageFailedAlert.For(record!.Treatment.Value, "welcome-redness", "21211", host.Clock.GetCurrentInstant());
        Assert.True(await Outbox(host).AddAsync(alert, CancellationToken.None));
        await host.InvokeAlertsAsync();
        var postsBefore = receiver.Received.Count;
        Assert.NotEqual(0, postsBefore);
        Assert.Contains("Maya", (await host.RawEntitiesAsync()).Where(e => e.RowKey == alert.Id).SelectMany(RawEntities.Texts));

        receiver.Answer = () => StatusCodes.Status200OK;
        using (var erased = await host.SendSignedAsync(HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/{Uri.EscapeDataString(Registrations.Phone)}", clinic.Secret))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, erased.StatusCode);
        }

        host.Clock.Advance(TimeSpan.FromMinutes(20));
        await host.InvokeAlertsAsync();
        await host.InvokeAlertsAsync();

        Assert.Equal(postsBefore, receiver.Received.Count); // Only the attempt before the erasure (Polly's tries): nothing since.
        var stored = (await Outbox(host).FindAsync(alert.Id, alert.CreatedAt, CancellationToken.None))!.Value;
        Assert.Equal(AlertDeliveryStatus.Failed, stored.Status);
        Assert.Equal(AlertDelivery.ErasedReason, stored.LastError);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal(alert.Message, stored.Alert.Message);
        Assert.Equal(alert.Treatment, stored.Alert.Treatment);
        Assert.Equal(
            [new RecordedAlertEvent("AlertRetrying", alert.Id, 1, null), new RecordedAlertEvent("AlertFailed", alert.Id, 2, null, AlertDelivery.ErasedReason)],
            events.Events.Where(e => e.AlertId is not null));
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [.. PhoneSpellings.Of(Registrations.Phone, "07400123456"), "Maya"]));
        Assert.Contains(host.Logs.Lines, line => line.Contains(AlertDelivery.ErasedReason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_erasure_while_the_alert_is_being_posted_leaves_it_delivered_without_the_clients_data()
    {
        var events = new AlertEventRecorder();
        var beforePost = new BeforeFirstSend();
        await using var host = await AftercareApp.StartAsync(infrastructure, Now, services =>
        {
            DecorateAlertEvents(services, events);
            services.Replace(ServiceDescriptor.Singleton<IAlertSender>(sp => beforePost.Around(ActivatorUtilities.CreateInstance<Alerts.HttpAlertSender>(
                sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(Hosting.AlertRegistration.HttpClientName)))));
        });
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        using (var registered = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body("ext-alert-1", Now.AddMinutes(-15))))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, registered.StatusCode);
        }

        var record = await host.Services.GetRequiredService<ITreatmentStore>().FindAsync(clinic.Id, TreatmentIds.For(clinic.Id, "ext-alert-1"), CancellationToken.None);
        var alert = MessageFailedAlert.For(record!.Treatment.Value, "welcome-redness", "21211", host.Clock.GetCurrentInstant());
        await Outbox(host).AddAsync(alert, CancellationToken.None);

        // The sweep has claimed the alert (and holds it in memory) when the clinic erases the client.
        beforePost.Hook = async () =>
        {
            using var erased = await host.SendSignedAsync(HttpMethod.Delete, $"/api/clinics/{clinic.Id}/clients/{Uri.EscapeDataString(Registrations.Phone)}", clinic.Secret);
            Assert.Equal(System.Net.HttpStatusCode.OK, erased.StatusCode);
        };
        await host.InvokeAlertsAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await host.InvokeAlertsAsync();

        // Posted once (it was on its way), recorded as delivered on the row the erasure wrote, which keeps no client data.
        Assert.Single(receiver.Received);
        var stored = (await Outbox(host).FindAsync(alert.Id, alert.CreatedAt, CancellationToken.None))!.Value;
        Assert.Equal(AlertDeliveryStatus.Delivered, stored.Status);
        Assert.Equal(1, stored.Attempts);
        Assert.True(stored.Alert.IsClientDataErased);
        Assert.Equal([new RecordedAlertEvent("AlertDelivered", alert.Id, 1, null)], events.Events.Where(e => e.AlertId is not null));
        Assert.Null(RawEntities.FindAny(await host.RawEntitiesAsync(), [.. PhoneSpellings.Of(Registrations.Phone, "07400123456"), "Maya"]));
    }

    [Fact]
    public async Task Two_sweeps_that_both_see_an_alert_due_post_it_once()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, Now);
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        var alert = UrgentReply(clinic.Id, host.Clock, "SM0000000000000000000000000000004d");
        await Outbox(host).AddAsync(alert, CancellationToken.None);

        // Both sweeps list the alert before either claims it: only the ETag claim can keep the post single.
        var listed = new Barrier(2);
        var outbox = new ListRendezvousOutbox(Outbox(host), listed);
        var sweeps = Enumerable.Range(0, 2).Select(_ => new AlertDelivery(
            outbox,
            host.Services.GetRequiredService<IClinicStore>(),
            host.Services.GetRequiredService<IAlertSender>(),
            host.Services.GetRequiredService<IAlertEvents>(),
            new AlertDeliveryOptions(),
            host.Clock,
            new Random(7)));
        var reports = await Task.WhenAll(sweeps.Select(sweep => Task.Run(() => sweep.DeliverDueAsync(CancellationToken.None))));

        Assert.Single(receiver.Received);
        Assert.Equal(1, reports.Sum(r => r.Delivered));
        Assert.Equal(1, reports.Sum(r => r.Held));
    }

    private static IAlertOutbox Outbox(AftercareApp host) => host.Services.GetRequiredService<IAlertOutbox>();

    private static void DecorateAlertEvents(IServiceCollection services, AlertEventRecorder events) =>
        services.Replace(ServiceDescriptor.Singleton(sp => events.Around(ActivatorUtilities.CreateInstance<Telemetry.AlertTelemetry>(sp))));

    private static ClinicAlert UrgentReply(string clinicId, TimeProvider clock, string messageSid)
    {
        var now = clock.GetCurrentInstant();
        return new ClinicAlert
        {
            Id = ClinicAlertIds.ForReply(messageSid),
            Type = ClinicAlertType.ClientReplyUrgent,
            CreatedAt = now,
            ClinicId = clinicId,
            Treatment = new AlertTreatment("ext-alert-1", TreatmentIds.For(clinicId, "ext-alert-1")),
            Client = new AlertClient("Maya", Registrations.Phone),
            Reply = new AlertReply("my face is swollen and there's pus", now, "urgent", ["en.pus", "en.swelling"]),
        };
    }

    /// <summary>Runs <see cref="Hook"/> once, after a sweep has claimed an alert and before the real sender posts it.</summary>
    private sealed class BeforeFirstSend
    {
        private int _ran;

        public Func<Task>? Hook { get; set; }

        public IAlertSender Around(IAlertSender inner) => new Sender(this, inner);

        private sealed class Sender(BeforeFirstSend owner, IAlertSender inner) : IAlertSender
        {
            public async Task<AlertSendResult> SendAsync(Uri endpoint, ClinicAlert alert, string webhookSecret, CancellationToken cancellationToken)
            {
                if (owner.Hook is { } hook && Interlocked.Exchange(ref owner._ran, 1) == 0)
                {
                    await hook();
                }

                return await inner.SendAsync(endpoint, alert, webhookSecret, cancellationToken);
            }
        }
    }

    /// <summary>Lets every sweep list what is due before any of them goes on to claim it.</summary>
    private sealed class ListRendezvousOutbox(IAlertOutbox inner, Barrier listed) : IAlertOutbox
    {
        public Task<bool> AddAsync(ClinicAlert alert, CancellationToken cancellationToken) => inner.AddAsync(alert, cancellationToken);

        public async Task<IReadOnlyList<Versioned<OutboxAlert>>> ListDueAsync(Instant now, Duration lookback, int limit, CancellationToken cancellationToken)
        {
            var due = await inner.ListDueAsync(now, lookback, limit, cancellationToken);
            Assert.True(listed.SignalAndWait(TimeSpan.FromSeconds(60), cancellationToken), "the other sweep never listed");
            return due;
        }

        public Task<Versioned<OutboxAlert>?> FindAsync(string alertId, Instant createdAt, CancellationToken cancellationToken) =>
            inner.FindAsync(alertId, createdAt, cancellationToken);

        public Task<string?> TryReplaceAsync(OutboxAlert alert, string etag, CancellationToken cancellationToken) =>
            inner.TryReplaceAsync(alert, etag, cancellationToken);

        public Task<int> EraseClientDataAsync(string clinicId, string treatmentId, Instant now, Duration lookback, CancellationToken cancellationToken) =>
            inner.EraseClientDataAsync(clinicId, treatmentId, now, lookback, cancellationToken);
    }
}
