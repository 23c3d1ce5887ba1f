using LinqToDB;
using LinqToDB.Data;
using LinqToDB.DataProvider.PostgreSQL;
using Microsoft.Extensions.Logging;
using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.Access;

// Where each read goes, and how it survives a transient fault.
public sealed partial class TeslaDbDatabase
{
    /// <summary>
    /// Until the returned scope is disposed, every read of this async flow goes to the primary, including those that
    /// would go to a standby: for a caller that must read what it has just written
    /// (<c>using (database.ReadFromPrimary()) { … }</c>).
    /// </summary>
    public IDisposable ReadFromPrimary()
    {
        var before = PrimaryOnly.Value;
        PrimaryOnly.Value = true;
        return new Scope(() => PrimaryOnly.Value = before);
    }

    /// <summary>Told which connection serves each routed read (tests check the server behind it).</summary>
    internal Func<string, NpgsqlConnection, CancellationToken, Task>? ReadObserver { get; set; }

    /// <summary>
    /// Runs an idempotent read on a connection of <paramref name="from"/>, trying it again on a fresh connection
    /// (after a back-off) when it meets a transient fault: <see cref="TeslaDbRoutingOptions.ReadAttempts"/> in all.
    /// <paramref name="read"/> must only read, and build its commands and parameters anew on each call.
    /// </summary>
    internal async Task<T> ReadAsync<T>(string operation, ReadFrom from, Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        Backoff? backoff = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenForReadAsync(from, cancellationToken);
                if (ReadObserver is { } observe)
                {
                    await observe(operation, connection, cancellationToken);
                }

                return await read(connection, cancellationToken);
            }
            catch (Exception e) when (attempt < Routing.ReadAttempts && TransientFaults.IsTransient(e, cancellationToken))
            {
                Forget(e);
                // The usual fault is a pooled connection that died with a restarted server: the next one is fresh,
                // so the first retry goes at once; later ones back off while the server comes back.
                var delay = attempt == 1 ? TimeSpan.Zero : (backoff ??= new Backoff(Routing.FirstRetryDelay, Routing.MaxRetryDelay)).Next();
                _logger.LogWarning("TeslaDb {Operation}: transient fault ({Fault}); attempt {Attempt} of {Attempts} in {Delay} ms",
                    operation, Fault(e), attempt + 1, Routing.ReadAttempts, (int)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>A linq2db connection over a connection <see cref="ReadAsync{T}"/> opened.</summary>
    internal DataConnection Open(string operation, NpgsqlConnection connection)
    {
        CurrentOperation.Value = operation;
        return new DataConnection(Options.UseConnection(PostgreSQLTools.GetDataProvider(PostgreSQLVersion.v15), connection, disposeConnection: false));
    }

    /// <summary>A command on a connection <see cref="ReadAsync{T}"/> opened, reported as <paramref name="operation"/>.</summary>
    internal NpgsqlCommand Command(string operation, string sql, NpgsqlConnection connection)
    {
        Observe(operation, sql);
        return new NpgsqlCommand(sql, connection);
    }

    /// <summary>For a write that failed: when its server went away, forget the pooled connections and which host is
    /// primary, so that one failed call is all a restart or failover costs. Returns false (use it as an exception
    /// filter: the write's exception goes up unchanged; writes are never replayed, the caller decides).</summary>
    internal bool NoteWriteFault(Exception exception)
    {
        if (TransientFaults.IsServerGone(exception))
        {
            _logger.LogWarning("TeslaDb: the server went away during a write ({Fault}); pooled connections dropped", Fault(exception));
            Forget(exception);
        }

        return false;
    }

    private void Forget(Exception exception)
    {
        if (TransientFaults.IsServerGone(exception))
        {
            _sources.Forget();
            _lag.Clear();
        }
    }

    private async Task<NpgsqlConnection> OpenForReadAsync(ReadFrom from, CancellationToken cancellationToken)
    {
        if (from == ReadFrom.Primary || PrimaryOnly.Value || _sources.Replica is not { } replicas)
        {
            return await DataSource.OpenConnectionAsync(cancellationToken);
        }

        NpgsqlConnection connection;
        try
        {
            connection = await replicas.OpenConnectionAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            // No standby answers (nor, for a multi-host string, any host): the primary serves, or says why not.
            _logger.LogDebug("TeslaDb: no replica reachable ({Fault}); reading from the primary", Fault(e));
            return await DataSource.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            var lag = await _lag.OfAsync(connection, cancellationToken);
            if (lag <= Routing.MaxReplicaLag)
            {
                return connection;
            }

            _logger.LogDebug("TeslaDb: replica {Server} lags {Lag}; reading from the primary", $"{connection.Host}:{connection.Port}", lag);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return await DataSource.OpenConnectionAsync(cancellationToken);
    }

    // The SQLSTATE or exception type, never a message that could quote a statement's values.
    private static string Fault(Exception e) => e is PostgresException pg ? pg.SqlState : e.GetType().Name;

    private sealed class Scope(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                end();
            }
        }
    }
}
