using System.Net;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Twilio status callbacks: signed, found by the key in their URL, and never moving a message backwards.</summary>
[Collection(SharedInfrastructure.Name)]
public sealed class TwilioStatusCallbackTests(Infrastructure infrastructure)
{
    private static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Callbacks_move_a_sent_message_forward_and_late_ones_never_move_it_back()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var (clinic, callbackUrl, sid) = await SendWelcomeAsync(host, "ext-cb-1");

        // The dispatcher asked Twilio to call back on a URL that names the message.
        Assert.Equal("https://aftercare.example/api/twilio/status", callbackUrl.GetLeftPart(UriPartial.Path));
        Assert.Contains("stage=welcome-redness", callbackUrl.Query, StringComparison.Ordinal);

        await PostCallbackAsync(host, callbackUrl, sid, "delivered", expected: HttpStatusCode.NoContent);
        Assert.Equal("delivered", Registrations.Status(await TimelineAsync(host, clinic, "ext-cb-1"), "welcome-redness"));

        // Late and repeated callbacks: "sent" and "queued" after "delivered", and "undelivered" after a final status.
        await PostCallbackAsync(host, callbackUrl, sid, "sent", expected: HttpStatusCode.NoContent);
        await PostCallbackAsync(host, callbackUrl, sid, "queued", expected: HttpStatusCode.NoContent);
        await PostCallbackAsync(host, callbackUrl, sid, "undelivered", expected: HttpStatusCode.NoContent, errorCode: "30003");
        var timeline = await TimelineAsync(host, clinic, "ext-cb-1");
        Assert.Equal("delivered", Registrations.Status(timeline, "welcome-redness"));
        Assert.Equal(JsonNull, Registrations.Message(timeline, "welcome-redness").GetProperty("errorCode").ValueKind);
    }

    [Fact]
    public async Task An_undelivered_callback_records_the_carrier_error_for_the_clinic()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var (clinic, callbackUrl, sid) = await SendWelcomeAsync(host, "ext-cb-2");

        await PostCallbackAsync(host, callbackUrl, sid, "undelivered", expected: HttpStatusCode.NoContent, errorCode: "30003");

        var message = Registrations.Message(await TimelineAsync(host, clinic, "ext-cb-2"), "welcome-redness");
        Assert.Equal("undelivered", message.GetProperty("status").GetString());
        Assert.Equal("30003", message.GetProperty("errorCode").GetString());
        Assert.Contains("30003", message.GetProperty("statusReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_that_fails_a_text_alerts_the_clinic_once_with_the_status_and_error_code()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var (clinic, receiver) = await AlertReceivers.ClinicWithReceiverAsync(host);
        await using var receiverLifetime = receiver;
        var (_, callbackUrl, sid) = await SendWelcomeAsync(host, "ext-cb-4", clinic);

        await PostCallbackAsync(host, callbackUrl, sid, "undelivered", expected: HttpStatusCode.NoContent, errorCode: "30003");
        await PostCallbackAsync(host, callbackUrl, sid, "undelivered", expected: HttpStatusCode.NoContent, errorCode: "30003");
        await host.InvokeAlertsAsync();

        var received = Assert.Single(receiver.Received);
        Assert.Equal(Core.Security.SignatureCheck.Valid, received.Signature);
        var alert = System.Text.Json.JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("message-failed", alert.GetProperty("type").GetString());
        Assert.Equal("ext-cb-4", alert.GetProperty("treatment").GetProperty("externalId").GetString());
        var message = alert.GetProperty("message");
        Assert.Equal("welcome-redness", message.GetProperty("stage").GetString());
        Assert.Equal("undelivered", message.GetProperty("status").GetString());
        Assert.Equal("30003", message.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task Unsigned_forged_and_foreign_callbacks_change_nothing()
    {
        await using var host = await AftercareApp.StartAsync(infrastructure, TreatedAt.AddMinutes(15));
        var (clinic, callbackUrl, sid) = await SendWelcomeAsync(host, "ext-cb-3");
        var form = Form(sid, "delivered", null);

        using var unsigned = await host.Anonymous.PostAsync(callbackUrl.PathAndQuery, new FormUrlEncodedContent(form));
        await unsigned.AssertProblemAsync(HttpStatusCode.Unauthorized);

        var forged = new HttpRequestMessage(HttpMethod.Post, callbackUrl.PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        forged.Headers.Add(TwilioRequestValidator.SignatureHeader, TwilioSignature.Compute("some-other-token", callbackUrl.ToString(), form));
        using var forgedResponse = await host.Anonymous.SendAsync(forged);
        await forgedResponse.AssertProblemAsync(HttpStatusCode.Unauthorized);

        // Signed correctly but for a different text than the one on record: ignored.
        await PostCallbackAsync(host, callbackUrl, "SM" + new string('b', 32), "failed", expected: HttpStatusCode.NoContent, errorCode: "30008");

        Assert.Equal("sent", Registrations.Status(await TimelineAsync(host, clinic, "ext-cb-3"), "welcome-redness"));
    }

    /// <summary>Registers a treatment and sends its welcome text through Twilio (Prism); returns where Twilio would call back.</summary>
    private static async Task<(ClinicCredentials Clinic, Uri CallbackUrl, string Sid)> SendWelcomeAsync(AftercareApp host, string externalId, ClinicCredentials? clinic = null)
    {
        clinic ??= await Clinics.CreateAsync(host);
        using var created = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, Registrations.Body(externalId, TreatedAt));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await host.InvokeTimerAsync();
        var create = Assert.Single(host.Twilio.Requests, r => r.Method == HttpMethod.Post && r.Uri.AbsolutePath.EndsWith("/Messages.json", StringComparison.Ordinal));
        var callbackUrl = new Uri(System.Web.HttpUtility.ParseQueryString(create.Body!)["StatusCallback"]!);
        var sid = Registrations.Message(await TimelineAsync(host, clinic, externalId), "welcome-redness").GetProperty("twilioSid").GetString()!;
        return (clinic, callbackUrl, sid);
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;

    private static Dictionary<string, string> Form(string sid, string status, string? errorCode)
    {
        var form = new Dictionary<string, string>
        {
            ["AccountSid"] = AftercareApp.TwilioAccountSid,
            ["MessageSid"] = sid,
            ["SmsSid"] = sid,
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
            ["To"] = "+447700900123",
            ["From"] = "+15005550006",
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null)
        {
            form["ErrorCode"] = errorCode;
        }

        return form;
    }

    private static async Task PostCallbackAsync(AftercareApp host, Uri callbackUrl, string sid, string status, HttpStatusCode expected, string? errorCode = null)
    {
        var form = Form(sid, status, errorCode);
        var request = new HttpRequestMessage(HttpMethod.Post, callbackUrl.PathAndQuery) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, TwilioSignature.Compute(AftercareApp.TwilioAuthToken, callbackUrl.ToString(), form));
        using var response = await host.Anonymous.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<System.Text.Json.JsonElement> TimelineAsync(AftercareApp host, ClinicCredentials clinic, string externalId)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/{externalId}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }
}
