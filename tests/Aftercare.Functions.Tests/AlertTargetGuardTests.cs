using System.Net;
using Aftercare.Core.Alerts;
using Aftercare.Functions.Alerts;
using Aftercare.Testing;
using NodaTime;
using Xunit;

namespace Aftercare.Functions.Tests;

/// <summary>
/// The SSRF guard on alert endpoints: only https to public addresses, unless private networks are allowed; a name is
/// judged by the addresses it resolves to when the connection is made.
/// </summary>
public sealed class AlertTargetGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("0.0.0.0")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // Cloud instance metadata.
    [InlineData("100.64.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Loopback_private_link_local_and_multicast_addresses_are_not_public(string address) =>
        Assert.False(AlertAddressRules.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_unicast_addresses_are_public(string address) =>
        Assert.True(AlertAddressRules.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://alerts.example.com/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://10.0.0.5/hook")]
    [InlineData("https://user:pass@alerts.example.com/hook")]
    [InlineData("ftp://alerts.example.com/hook")]
    public void Endpoints_that_are_not_public_https_by_their_shape_are_refused(string url)
    {
        Assert.NotNull(AlertAddressRules.ShapeProblem(new Uri(url), allowPrivateNetworks: false));
    }

    [Theory]
    [InlineData("https://alerts.example.com/hook")]
    [InlineData("https://alerts.example.com:8443/hook?clinic=a%20b")]
    [InlineData("https://8.8.8.8/hook")]
    public void Public_https_endpoints_pass_the_shape_check(string url) =>
        Assert.Null(AlertAddressRules.ShapeProblem(new Uri(url), allowPrivateNetworks: false));

    [Fact]
    public void Allowing_private_networks_lets_http_on_loopback_through_but_never_user_info()
    {
        Assert.Null(AlertAddressRules.ShapeProblem(new Uri("http://127.0.0.1:5000/hook"), allowPrivateNetworks: true));
        Assert.NotNull(AlertAddressRules.ShapeProblem(new Uri("http://user:pass@127.0.0.1:5000/hook"), allowPrivateNetworks: true));
    }

    [Fact]
    public async Task The_connection_itself_refuses_a_non_public_address_whatever_passed_before_it()
    {
        // The handler is used directly, past the sender's shape check: what a name resolving to loopback would meet.
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        await using var receiver = await AlertReceiver.StartAsync("secret", clock);
        using var http = new HttpClient(AlertConnections.CreateHandler(allowPrivateNetworks: false));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(receiver.Endpoint, new StringContent("{}")));

        Assert.IsType<AlertTargetRefusedException>(refused.InnerException);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task The_sender_reports_a_refused_endpoint_without_posting()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        await using var receiver = await AlertReceiver.StartAsync("secret", clock);
        using var http = new HttpClient(AlertConnections.CreateHandler(allowPrivateNetworks: false));
        var sender = new HttpAlertSender(http, new AlertSenderOptions { MaxRetryAttempts = 0 }, clock);

        var result = await sender.SendAsync(receiver.Endpoint, Alert(), "secret", CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.StartsWith("Refused:", result.Detail, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task With_private_networks_allowed_the_same_receiver_gets_the_post()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        await using var receiver = await AlertReceiver.StartAsync("secret", clock);
        using var http = new HttpClient(AlertConnections.CreateHandler(allowPrivateNetworks: true));
        var sender = new HttpAlertSender(http, new AlertSenderOptions { AllowPrivateNetworks = true, MaxRetryAttempts = 0 }, clock);

        var result = await sender.SendAsync(receiver.Endpoint, Alert(), "secret", CancellationToken.None);

        Assert.True(result.Delivered, result.Detail);
        Assert.Equal(Core.Security.SignatureCheck.Valid, Assert.Single(receiver.Received).Signature);
    }

    private static ClinicAlert Alert() => new()
    {
        Id = ClinicAlertIds.ForFailedMessage("tr_0123", "welcome-redness"),
        Type = ClinicAlertType.MessageFailed,
        CreatedAt = Instant.FromUnixTimeSeconds(0),
        ClinicId = "cl_test",
        Treatment = new AlertTreatment("ext-1", "tr_0123"),
        Client = new AlertClient("Maya", "+447400123456"),
        Message = new AlertMessage("welcome-redness", "failed", "21211"),
    };
}
