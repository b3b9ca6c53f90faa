using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Aftercare.Sms.Twilio;
using Aftercare.Testing;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>Incoming SMS as Twilio posts them to <c>/api/twilio/inbound</c>, signed, and what the tests read back.</summary>
internal static class InboundPosts
{
    public const string InboundPath = "/api/twilio/inbound";

    /// <summary>The sender every test clinic texts from (<see cref="Clinics.CreateAsync"/>).</summary>
    public const string Sender = "+15005550006";

    public static readonly DateTimeOffset TreatedAt = new(2026, 11, 20, 14, 30, 0, TimeSpan.Zero);

    /// <summary>A Spanish mobile number libphonenumber knows as valid (its own example).</summary>
    public const string SpanishPhone = "+34612345678";

    public static Dictionary<string, string> Form(string sid, string body, string to = Sender, string from = Registrations.Phone) => new()
    {
        ["AccountSid"] = AftercareApp.TwilioAccountSid,
        ["MessageSid"] = sid,
        ["SmsMessageSid"] = sid,
        ["SmsSid"] = sid,
        ["From"] = from,
        ["To"] = to,
        ["Body"] = body,
        ["NumMedia"] = "0",
        ["NumSegments"] = "1",
        ["SmsStatus"] = "received",
        ["ApiVersion"] = "2010-04-01",
    };

    public static Task<HttpResponseMessage> PostSignedAsync(AftercareApp host, string target, Dictionary<string, string> form, string? signedUrl = null) =>
        PostAsync(host, target, form, TwilioSignature.Compute(AftercareApp.TwilioAuthToken, signedUrl ?? "https://aftercare.example" + target, form));

    public static Task<HttpResponseMessage> PostAsync(AftercareApp host, string target, Dictionary<string, string> form, string signature)
    {
        // Sent byte for byte as written: Uri would otherwise turn "%7E" into "~" on our side of the wire.
        var uri = new Uri(host.Anonymous.BaseAddress + target.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioRequestValidator.SignatureHeader, signature);
        return host.Anonymous.SendAsync(request);
    }

    /// <summary>The texts of the TwiML answer's &lt;Message&gt; elements (none for an empty &lt;Response/&gt;).</summary>
    public static async Task<IReadOnlyList<string>> MessagesOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Response", twiml.Root!.Name.LocalName);
        return [.. twiml.Root.Elements("Message").Select(m => m.Value)];
    }

    public static async Task<JsonElement> RegisterAsync(
        AftercareApp host, ClinicCredentials clinic, string externalId, string phone = Registrations.Phone, string locale = "en", HttpStatusCode expected = HttpStatusCode.Created)
    {
        var body = Registrations.Body(externalId, TreatedAt, phone: phone);
        if (locale != "en")
        {
            body = body.Replace("\"locale\":\"en\"", $"\"locale\":\"{locale}\"", StringComparison.Ordinal);
        }

        using var response = await host.SendSignedAsync(HttpMethod.Post, clinic.TreatmentsPath, clinic.Secret, body);
        Assert.Equal(expected, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public static async Task<JsonElement> TimelineAsync(AftercareApp host, ClinicCredentials clinic, string externalId)
    {
        using var response = await host.SendSignedAsync(HttpMethod.Get, $"{clinic.TreatmentsPath}/{externalId}", clinic.Secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    public static List<JsonElement> Replies(JsonElement timeline) => [.. timeline.GetProperty("replies").EnumerateArray()];
}
