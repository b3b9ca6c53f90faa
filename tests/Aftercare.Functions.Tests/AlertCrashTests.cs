using System.Net;
using System.Text.Json;
using Aftercare.Core.Alerts;
using Aftercare.Core.Security;
using Microsoft.AspNetCore.Http;
using Xunit;
using static Aftercare.Functions.Tests.InboundPosts;

namespace Aftercare.Functions.Tests;

/// <summary>
/// Durability of clinic alerts with the real worker as a child process of the local host, SIGKILLed as the Functions
/// host would see a crash: an alert stored with its reply is delivered by the next worker; one killed mid-post is posted
/// again (same Idempotency-Key) once its claim lapses.
/// </summary>
[Collection(SharedInfrastructure.Name)]
public sealed class AlertCrashTests(Infrastructure infrastructure)
{
    private static readonly TimeSpan Deadline = ProcessApp.Deadline;

    [Fact]
    public async Task A_worker_killed_right_after_storing_an_urgent_reply_leaves_the_alert_for_the_next_worker_to_deliver()
    {
        await using var app = await ProcessApp.StartAsync(infrastructure);
        var (clinic, receiver) = await app.ClinicWithReceiverAsync();
        await using var receiverLifetime = receiver;
        await app.RegisterAsync(clinic, "ext-crash-1");

        var sid = "SM" + new string('9', 31) + "1";
        using (var reply = await app.PostInboundAsync(Form(sid, "my lips are swollen and theres pus", to: Sender)))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        var killed = app.KillWorker();
        await app.WaitForNewWorkerAsync(killed);
        Assert.Empty(receiver.Received); // The alert timer is off: nothing was posted before the kill.

        var result = await app.Host.InvokeAsync("DeliverClinicAlerts");
        Assert.True(result.Succeeded, result.ErrorMessage);

        var received = Assert.Single(receiver.Received);
        Assert.Equal(SignatureCheck.Valid, received.Signature);
        Assert.Equal(ClinicAlertIds.ForReply(sid), received.IdempotencyKey);
        Assert.Equal("client-reply-urgent", JsonDocument.Parse(received.Body).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_worker_killed_while_posting_an_alert_posts_it_again_with_the_same_idempotency_key_after_its_claim_lapses()
    {
        await using var app = await ProcessApp.StartAsync(infrastructure);
        var (clinic, receiver) = await app.ClinicWithReceiverAsync();
        await using var receiverLifetime = receiver;
        await app.RegisterAsync(clinic, "ext-crash-2");
        using var firstPost = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var posts = 0;
        receiver.Answer = () =>
        {
            if (Interlocked.Increment(ref posts) == 1)
            {
                firstPost.Set();
                release.Wait(Deadline); // Holds the first post open until its worker is dead.
            }

            return StatusCodes.Status200OK;
        };

        var sid = "SM" + new string('9', 31) + "2";
        using (var reply = await app.PostInboundAsync(Form(sid, "I think its infected, theres yellow pus", to: Sender)))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        var sweep = app.Host.InvokeAsync("DeliverClinicAlerts");
        Assert.True(firstPost.Wait(Deadline), "the first post never arrived");
        var killed = app.KillWorker();
        release.Set();
        await app.WaitForNewWorkerAsync(killed);
        Assert.False((await sweep).Succeeded);

        // The claim lasts Aftercare__Alerts__LeaseSeconds (2 s here): sweep until the alert is posted again.
        var stopAt = DateTime.UtcNow + Deadline;
        while (receiver.Received.Count < 2 && DateTime.UtcNow < stopAt)
        {
            await Task.Delay(500);
            var again = await app.Host.InvokeAsync("DeliverClinicAlerts");
            Assert.True(again.Succeeded, again.ErrorMessage);
        }

        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal(ClinicAlertIds.ForReply(sid), r.IdempotencyKey));
        Assert.All(receiver.Received, r => Assert.Equal(SignatureCheck.Valid, r.Signature));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
    }
}
