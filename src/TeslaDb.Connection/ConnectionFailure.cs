using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;

namespace TeslaDb.Connection;

/// <summary>
/// Turns the exceptions Npgsql throws when a connection cannot be made into one line that says what to do.
/// Used by every TeslaDb front end so that "wrong password" reads the same in each.
/// </summary>
public static class ConnectionFailure
{
    /// <summary>
    /// Describes <paramref name="exception"/> when it (or one it wraps) means the server could not be reached or
    /// refused us; returns null for any other error (a failing SQL statement, a bug).
    /// </summary>
    public static string? Describe(Exception exception, NpgsqlConnectionStringBuilder target)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(target);
        var where = TeslaDbConnectionString.Endpoints(target);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    var text = DescribeServerRefusal(pg, target, where);
                    if (text is not null)
                    {
                        return text;
                    }

                    break;
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                            $"Cannot connect: host '{target.Host}' is unknown; check the Host of the connection string.",
                        SocketError.ConnectionRefused =>
                            $"Cannot connect: nothing accepts connections at {where}; check the host and port, and that PostgreSQL is running.",
                        SocketError.TimedOut or SocketError.HostUnreachable or SocketError.NetworkUnreachable =>
                            $"Cannot connect: {where} cannot be reached ({socket.SocketErrorCode}); check the network and firewall.",
                        _ => $"Cannot connect to {where}: {socket.SocketErrorCode}.",
                    };
                case TimeoutException:
                    return $"Cannot connect: {where} did not answer within {target.Timeout} s; check the host, port and firewall (or raise Timeout).";
                // Npgsql's own words when SSL Mode requires TLS and the server answers that it has none.
                case NpgsqlException when e.Message.StartsWith("SSL connection requested", StringComparison.Ordinal):
                    return $"Cannot connect: {where} does not offer TLS and SSL Mode={target.SslMode} requires it; enable ssl on the server, or lower SSL Mode (sslmode= in a URL).";
                case AuthenticationException:
                    return $"Cannot connect: the TLS handshake with {where} failed; check SSL Mode and the server's certificate.";
                case NpgsqlException npgsql when npgsql.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
                                                 && e.InnerException is null:
                    return $"Cannot connect: {where} asks for a password and none was given; add Password=… (or :password in the URL).";
            }
        }

        return null;
    }

    private static string? DescribeServerRefusal(PostgresException pg, NpgsqlConnectionStringBuilder target, string where) => pg.SqlState switch
    {
        PostgresErrorCodes.InvalidPassword =>
            $"Cannot connect: password authentication failed for user '{target.Username}' at {where}; check the user name and password.",
        PostgresErrorCodes.InvalidAuthorizationSpecification =>
            $"Cannot connect: the server refused user '{target.Username}' ({pg.MessageText}); check pg_hba.conf or the user name.",
        PostgresErrorCodes.InvalidCatalogName =>
            // Without Database=, PostgreSQL looked for the user's own (what Describe shows).
            $"Cannot connect: database '{(string.IsNullOrEmpty(target.Database) ? target.Username : target.Database)}' does not exist at {where}; create it or fix Database=….",
        PostgresErrorCodes.CannotConnectNow =>
            $"Cannot connect: the server at {where} is starting up or shutting down; retry in a moment.",
        PostgresErrorCodes.TooManyConnections =>
            $"Cannot connect: the server at {where} has too many connections; retry later or raise max_connections.",
        _ => null,
    };
}
