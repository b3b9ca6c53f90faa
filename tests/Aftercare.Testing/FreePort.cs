using System.Net;
using System.Net.Sockets;

namespace Aftercare.Testing;

public static class FreePort
{
    /// <summary>Asks the OS for a free loopback TCP port. The port is free now; a child process binds it next.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
