using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// Refuses a transaction-mode pooler (PgBouncer <c>pool_mode=transaction</c>, Supabase's pooler on port 6543).
/// There, a client session owns a server connection only for one transaction: the session advisory lock would be
/// left on a server connection that other clients then use, and concurrent runs would no longer be serialised.
/// </summary>
internal static class PoolerCheck
{
    /// <summary>Supabase documents its pooler's port 6543 as transaction mode: refused before connecting, whichever
    /// host of a list it is.</summary>
    public static void RefuseKnownTransactionPooler(NpgsqlConnectionStringBuilder target)
    {
        if (TeslaDbConnectionString.IsSupabaseTransactionPooler(target, out var host, out var port))
        {
            throw new TransactionPoolerException(host, port);
        }
    }

    public static async Task EnsureSessionAsync(
        NpgsqlConnection connection, string connectionString, NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        // Probe: our session is idle between statements. Through a transaction pooler its server connection went
        // back to the pool after our statement, and a second client is handed that same server connection (pools
        // hand out the most recently used one first); directly or in session mode it gets a server of its own.
        var first = await BackendPidAsync(connection, cancellationToken);
        // (From the original string: an open connection's ConnectionString no longer holds the password.)
        var probe = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "tesladb-migrate pooler probe" };
        await using var second = new NpgsqlConnection(probe.ConnectionString);
        await second.OpenAsync(cancellationToken);
        if (await BackendPidAsync(second, cancellationToken) == first)
        {
            // The host the session reached, not the whole list of a multi-host string.
            throw new TransactionPoolerException(connection.Host ?? target.Host ?? "the server", connection.Port);
        }
    }

    private static async Task<int> BackendPidAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
