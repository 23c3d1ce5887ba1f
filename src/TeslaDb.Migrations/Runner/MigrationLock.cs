using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.Migrations.Runner;

/// <summary>
/// The lock that makes concurrent runs safe. FluentMigrator takes none: two runners on one database race on
/// creating the version table (42P07) or both apply the same migration. This session advisory lock is taken on a
/// connection of our own before FluentMigrator reads the version table, and held until the run ends. Once held,
/// it makes sure the version table exists (see <see cref="Schema.TeslaDbVersionTable"/>).
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>"TESLADB!" in ASCII: one key per database (advisory locks are scoped to the current database).</summary>
    internal const long Key = 0x5445_534C_4144_4221;

    /// <summary>What a waiting run's session shows in <c>pg_stat_activity.query</c> between polls.</summary>
    internal const string PollSql = "/* tesladb-migrate: waiting for the migration lock */ SELECT pg_try_advisory_lock($1)";

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastPoll = TimeSpan.FromSeconds(1);

    private readonly NpgsqlConnection _connection;

    private MigrationLock(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The session that holds the lock; the run may use it for its own bookkeeping.</summary>
    public NpgsqlConnection Connection => _connection;

    public static async Task<MigrationLock> AcquireAsync(
        string connectionString, NpgsqlConnectionStringBuilder target, TimeSpan timeout, Action<string>? onWaiting, CancellationToken cancellationToken)
    {
        PoolerCheck.RefuseKnownTransactionPooler(target);
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await PoolerCheck.EnsureSessionAsync(connection, connectionString, target, cancellationToken);
            await RefuseStandbyAsync(connection, target, cancellationToken);
            if (!await TryLockAsync(connection, cancellationToken))
            {
                onWaiting?.Invoke(await DescribeHolderAsync(connection, cancellationToken));
                await WaitForLockAsync(connection, timeout, cancellationToken);
            }

            await EnsureVersionTableAsync(connection, cancellationToken);
            return new MigrationLock(connection);
        }
        catch
        {
            // A pooled connection goes back to the pool still holding a session lock taken before the failure (e.g.
            // the version table could not be created): every other run would wait for it until the pool drops it.
            await ReleaseAsync(connection);
            throw;
        }
    }

    /// <summary>A standby (a streaming replica, read-only until promoted) cannot be migrated: say so before anything
    /// else fails with "cannot execute CREATE TABLE in a read-only transaction".</summary>
    private static async Task RefuseStandbyAsync(NpgsqlConnection connection, NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
        {
            throw new StandbyRefusedException(TeslaDb.Connection.TeslaDbConnectionString.Describe(target));
        }
    }

    private static async Task EnsureVersionTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(Schema.TeslaDbVersionTable.CreateSql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", Key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Polls with <c>pg_try_advisory_lock</c> instead of blocking in <c>pg_advisory_lock</c>: a blocked statement holds
    /// a snapshot for as long as it waits, and <c>CREATE INDEX CONCURRENTLY</c> in the run holding the lock waits for
    /// every older snapshot, so both would wait forever without PostgreSQL seeing a deadlock (flyway#1654). Between
    /// polls this session is idle and holds nothing.
    /// </summary>
    private static async Task WaitForLockAsync(NpgsqlConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var backoff = new Backoff(FirstPoll, LastPoll);
        while (true)
        {
            var left = timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new MigrationLockTimeoutException(timeout);
            }

            var delay = backoff.Next();
            await Task.Delay(delay < left ? delay : left, cancellationToken);
            await using var command = new NpgsqlCommand(PollSql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = Key });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }
    }

    private static async Task<string> DescribeHolderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
        await using var command = new NpgsqlCommand(
            """
            SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unnamed client'), a.backend_start
              FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.classid::bigint = @high AND l.objid::bigint = @low AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
             LIMIT 1
            """,
            connection);
        command.Parameters.AddWithValue("high", (long)(Key >> 32));
        command.Parameters.AddWithValue("low", Key & 0xFFFF_FFFF);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? $"Waiting for another migration run to finish (backend pid {reader.GetInt32(0)}, {reader.GetString(1)}, connected since {reader.GetFieldValue<DateTimeOffset>(2):u})…"
            : "Waiting for another migration run to finish…";
    }

    public ValueTask DisposeAsync() => ReleaseAsync(_connection);

    private static async ValueTask ReleaseAsync(NpgsqlConnection connection)
    {
        // Closing the session releases the lock even if the unlock fails; unlock first so a pooled connection
        // never carries it back to the pool.
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The session is gone (server restart, killed backend): the lock went with it.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
