using System.Net.Sockets;
using Npgsql;

namespace TeslaDb.Access;

/// <summary>Which failures an idempotent read may simply try again, on a fresh connection.</summary>
internal static class TransientFaults
{
    /// <summary>
    /// True for a server shutting down or restarting (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect
    /// now), a connection failure (class 08), a broken or closed pooled connection (Npgsql's IsTransient: an I/O or
    /// socket error, a timeout while connecting), a standby cancelling a query over a replay conflict (40001 on a
    /// hot standby) and a serialization failure or deadlock: a read-only statement outside a caller's transaction
    /// changed nothing, so running it again is safe. Anything else (a bad statement, a constraint) goes up at once.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception switch
        {
            PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
            NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or IOException,
            // Npgsql reports a command on a connection it already knows to be broken this way.
            InvalidOperationException { InnerException: NpgsqlException inner } => IsTransient(inner, cancellationToken),
            _ => false,
        };
    }

    /// <summary>True when the fault says the server (not the statement) is gone: the pooled connections to it are as
    /// dead as this one, and a multi-host data source's idea of which host is primary may be out of date.</summary>
    public static bool IsServerGone(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is SocketException or IOException || npgsql.IsTransient,
        _ => false,
    };
}
