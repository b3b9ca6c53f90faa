using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Aftercare.Sms.Tests.Support;
using Aftercare.Sms.Twilio;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Xunit;

namespace Aftercare.Sms.Tests;

/// <summary>The handler under the SDK: where requests go, with which credentials, and what it refuses.</summary>
public sealed class TwilioResilienceHandlerTests
{
    [Fact]
    public async Task Requests_move_to_the_base_uri_with_its_path_and_carry_the_api_key_for_the_account()
    {
        var seen = new ConcurrentQueue<(string Path, string Authorization)>();
        await using var twilio = await LocalTwilio.StartAsync(c =>
        {
            seen.Enqueue((c.Request.Path + c.Request.QueryString, c.Request.Headers.Authorization.ToString()));
            return LocalTwilio.ErrorAsync(c, 400, 21602, "Message body is required.");
        });
        var options = TestTwilio.Options(new Uri(twilio.BaseUri, "/twilio-proxy/"), o =>
        {
            o.AuthToken = null;
            o.ApiKeySid = TestTwilio.ApiKeySid;
            o.ApiKeySecret = "key-secret";
        });

        await TestTwilio.Sender(options).SendAsync(new("+15551234567", TestTwilio.SenderPhone, null, "Hello", null), CancellationToken.None);

        var (path, authorization) = Assert.Single(seen);
        Assert.Equal($"/twilio-proxy/2010-04-01/Accounts/{TestTwilio.AccountSid}/Messages.json", path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(TestTwilio.ApiKeySid + ":key-secret")), authorization);
    }

    [Theory]
    [InlineData("https://evil.example/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("http://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("https://api.twilio.com:8443/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("https://user@api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")]
    [InlineData("https://api.twilio.com.evil.example/2010-04-01/Accounts/AC1/Messages.json")]
    public async Task Credentials_never_go_to_any_host_but_twilios_api(string target)
    {
        var wire = new CountingHandler();
        using var http = new HttpClient(new TwilioResilienceHandler(TestTwilio.Options(new Uri("http://127.0.0.1:9")), TimeProvider.System) { InnerHandler = wire });
        using var request = new HttpRequestMessage(HttpMethod.Get, target);

        await Assert.ThrowsAsync<TwilioRequestException>(() => http.SendAsync(request));

        Assert.Equal(0, wire.Count);
    }

    [Fact]
    public async Task A_next_page_pointing_elsewhere_is_never_requested()
    {
        // Page.GetNextPageUrl puts next_page_uri after "https://api.twilio.com": "@host" turns that into another host.
        await using var twilio = await LocalTwilio.StartAsync(c => c.Response.WriteAsJsonAsync(new Dictionary<string, object?>
        {
            ["messages"] = Array.Empty<object>(),
            ["uri"] = "/2010-04-01/Accounts/AC/Messages.json",
            ["page_size"] = 100,
            ["next_page_uri"] = "@evil.example/2010-04-01/Accounts/AC/Messages.json?Page=1",
        }));

        var error = await Assert.ThrowsAsync<TwilioRequestException>(
            () => TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri)).FindSentAsync("+15551234567", Instant.FromUtc(2026, 1, 1, 0, 0), CancellationToken.None));

        Assert.Single(twilio.Requests);
        Assert.Contains(nameof(TwilioRequestException), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_synchronous_send_is_refused_rather_than_let_past_the_pipeline()
    {
        var wire = new CountingHandler();
        using var http = new HttpClient(new TwilioResilienceHandler(TestTwilio.Options(new Uri("http://127.0.0.1:9")), TimeProvider.System) { InnerHandler = wire });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json");

        Assert.Throws<NotSupportedException>(() => http.Send(request));
        Assert.Equal(0, wire.Count);
    }

    [Fact]
    public async Task Reads_are_retried_on_a_5xx_and_creates_are_not()
    {
        await using var twilio = await LocalTwilio.StartAsync(c => LocalTwilio.ErrorAsync(c, 500, 20500, "Internal Server Error"));
        var sender = TestTwilio.Sender(TestTwilio.Options(twilio.BaseUri));

        await sender.SendAsync(new("+15551234567", TestTwilio.SenderPhone, null, "Hello", null), CancellationToken.None);
        await Assert.ThrowsAsync<TwilioRequestException>(() => sender.FindSentAsync("+15551234567", Instant.FromUtc(2026, 1, 1, 0, 0), CancellationToken.None));

        Assert.Equal(1, twilio.Requests.Count(r => r.StartsWith("POST", StringComparison.Ordinal)));
        Assert.Equal(3, twilio.Requests.Count(r => r.StartsWith("GET", StringComparison.Ordinal)));
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
