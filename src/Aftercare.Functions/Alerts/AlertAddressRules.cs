using System.Net;
using System.Net.Sockets;

namespace Aftercare.Functions.Alerts;

/// <summary>
/// The SSRF guard's address rules: an alert may only go to a public unicast address. Refused: loopback, "this network"
/// (0.0.0.0/8), private (10/8, 172.16/12, 192.168/16, RFC 1918), carrier-grade NAT (100.64/10, RFC 6598), link-local
/// (169.254/16, fe80::/10, where cloud metadata endpoints live), IPv6 unique-local (fc00::/7) and site-local, multicast,
/// broadcast and the reserved 240/4; IPv4-mapped IPv6 is judged as the IPv4 address it carries.
/// </summary>
internal static class AlertAddressRules
{
    /// <summary>True when <paramref name="address"/> is a public unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return !(b[0] == 0
            || b[0] == 10
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || b[0] >= 224);
    }

    /// <summary>
    /// Why <paramref name="endpoint"/> may not receive alerts by its shape alone, or null: it must be an absolute
    /// <c>https</c> URL without user info, and a literal IP or <c>localhost</c> host must be public. With
    /// <paramref name="allowPrivateNetworks"/> (local runs and tests only) <c>http</c> and non-public hosts pass too.
    /// Addresses a name resolves to are checked when connecting (<see cref="AlertConnections"/>), since DNS can change.
    /// </summary>
    public static string? ShapeProblem(Uri endpoint, bool allowPrivateNetworks)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            return "An absolute URL without user info is required.";
        }

        if (allowPrivateNetworks)
        {
            return endpoint.Scheme == Uri.UriSchemeHttps || endpoint.Scheme == Uri.UriSchemeHttp ? null : "An http or https URL is required.";
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            return "An https URL is required.";
        }

        if (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.IdnHost, out var literal) && !IsPublic(literal)))
        {
            return "The URL must point at a public address.";
        }

        return null;
    }
}
