using System.Collections.Concurrent;
using Aftercare.Core;
using Aftercare.Core.Clinics;
using Aftercare.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Aftercare.Functions.Tests;

/// <summary>
/// A clinic's alert endpoint on a loopback Kestrel server: it verifies each post's <c>Aftercare-Signature</c> with the
/// clinic's secret exactly as a clinic would (<see cref="ClinicSignature.Verify"/> over the raw request target and
/// body, at the test's clock), records it, and answers what <see cref="Answer"/> says (200 unless told otherwise).
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedAlert> _received = new();

    private AlertReceiver(WebApplication app) => _app = app;

    /// <summary>The status to answer the next post with; called once per post.</summary>
    public Func<int> Answer { get; set; } = () => StatusCodes.Status200OK;

    /// <summary>The endpoint to give the clinic, with a path and query so the signature covers both.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<ReceivedAlert> Received => [.. _received];

    public static async Task<AlertReceiver> StartAsync(string secret, TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new AlertReceiver(app);
        app.MapPost("/hooks/aftercare", async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            var check = ClinicSignature.Verify(
                context.Request.Headers[ClinicSignature.HeaderName], secret, clock.GetCurrentInstant(), context.Request.Method, target, body);
            var status = receiver.Answer();
            receiver._received.Enqueue(new ReceivedAlert(
                check, context.Request.Headers["Idempotency-Key"].ToString(), context.Request.ContentType, System.Text.Encoding.UTF8.GetString(body), status));
            context.Response.StatusCode = status;
        });
        await app.StartAsync();
        receiver.Endpoint = new Uri(new Uri(app.Urls.First()), "/hooks/aftercare?clinic=riverside%20side");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One post as the receiver saw it: the signature check, the idempotency key, the body, and what it answered.</summary>
public sealed record ReceivedAlert(SignatureCheck Signature, string IdempotencyKey, string? ContentType, string Body, int AnsweredStatus);

/// <summary>Test clinics whose alert URL is a loopback <see cref="AlertReceiver"/>.</summary>
internal static class AlertReceivers
{
    /// <summary>A new clinic (<see cref="Clinics.CreateAsync"/>) whose alerts go to a new receiver checking its secret.</summary>
    public static async Task<(ClinicCredentials Clinic, AlertReceiver Receiver)> ClinicWithReceiverAsync(AftercareApp host)
    {
        var clinic = await Clinics.CreateAsync(host);
        var receiver = await AlertReceiver.StartAsync(clinic.Secret, host.Clock);

        // The clinic API takes https URLs on public addresses only; a loopback receiver is plain http, so it is set on
        // the stored clinic (the worker runs with Aftercare__Alerts__AllowPrivateNetworks=true in tests).
        await host.Services.GetRequiredService<IClinicStore>().UpdateAsync(
            clinic.Id, c => c with { AlertWebhookUrl = receiver.Endpoint.ToString() }, CancellationToken.None);
        return (clinic, receiver);
    }
}
