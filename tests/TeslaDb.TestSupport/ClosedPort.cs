using System.Net;
using System.Net.Sockets;

namespace TeslaDb.TestSupport;

/// <summary>A loopback port nothing listens on: connections to it are refused at once (not timed out), which is
/// what tests of a failed connection or of a host list's dead first host need.</summary>
public static class ClosedPort
{
    /// <summary>A port the kernel just handed out and that was closed again.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
