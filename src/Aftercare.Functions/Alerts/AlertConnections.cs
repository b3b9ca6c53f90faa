using System.Net;
using System.Net.Sockets;

namespace Aftercare.Functions.Alerts;

/// <summary>
/// The handler alert posts go through: it resolves the host itself and connects only to an address
/// <see cref="AlertAddressRules.IsPublic"/> accepts (unless private networks are allowed), at connect time, so a name
/// that resolves somewhere else later (DNS rebinding) is caught on the connection actually made. No redirects are
/// followed (a redirect could lead anywhere) and no proxy is used (it would connect on our behalf, unchecked).
/// </summary>
internal static class AlertConnections
{
    public static SocketsHttpHandler CreateHandler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, allowPrivateNetworks, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivateNetworks || AlertAddressRules.IsPublic(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new AlertTargetRefusedException();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The alert endpoint's host resolved to no public address; nothing was sent.</summary>
internal sealed class AlertTargetRefusedException() : IOException("The alert endpoint does not resolve to a public address.");
