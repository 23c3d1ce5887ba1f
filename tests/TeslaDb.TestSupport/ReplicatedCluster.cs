using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.TestSupport;

/// <summary>
/// A primary and a streaming standby of a test's own (scripts/dev-db.sh start, then dev-db.sh standby: a base
/// backup with -R), for tests of replica reads, replay lag and failover. Disposing it stops both and deletes them.
/// </summary>
public sealed class ReplicatedCluster : IAsyncDisposable
{
    private readonly string _primaryDirectory;
    private readonly string _standbyDirectory;

    private ReplicatedCluster(string primaryDirectory, string standbyDirectory, NpgsqlConnectionStringBuilder primary, NpgsqlConnectionStringBuilder standby)
    {
        _primaryDirectory = primaryDirectory;
        _standbyDirectory = standbyDirectory;
        Primary = primary;
        Standby = standby;
    }

    /// <summary>The superuser connection to the primary's maintenance database.</summary>
    public NpgsqlConnectionStringBuilder Primary { get; }

    /// <summary>The same on the standby (read-only until promoted).</summary>
    public NpgsqlConnectionStringBuilder Standby { get; }

    public static async Task<ReplicatedCluster> StartAsync()
    {
        var primary = Directory.CreateTempSubdirectory("tesladb-primary-").FullName;
        var standby = Directory.CreateTempSubdirectory("tesladb-standby-").FullName;
        await PrivateCluster.DevDbAsync(primary, "start");
        await PrivateCluster.DevDbAsync(standby, "standby", false, primary);
        return new ReplicatedCluster(
            primary,
            standby,
            TeslaDbConnectionString.Parse((await PrivateCluster.DevDbAsync(primary, "url")).Trim()),
            TeslaDbConnectionString.Parse((await PrivateCluster.DevDbAsync(standby, "url")).Trim()));
    }

    /// <summary>A multi-host connection string (primary first, then the standby) to <paramref name="database"/>,
    /// as an app that fails over would use.</summary>
    public string MultiHost(string database) =>
        new NpgsqlConnectionStringBuilder(Primary.ConnectionString)
        {
            Host = $"{Primary.Host}:{Primary.Port},{Standby.Host}:{Standby.Port}",
            Database = database,
        }.ConnectionString;

    /// <summary>Waits until the standby has replayed everything the primary has written so far.</summary>
    public async Task WaitForReplayAsync(CancellationToken cancellationToken = default)
    {
        await using var primary = new NpgsqlConnection(Primary.ConnectionString);
        await primary.OpenAsync(cancellationToken);
        // The insert position, not pg_current_wal_lsn() (the write position): with synchronous_commit off (the dev
        // clusters' fast setting) a commit can sit in the WAL buffers, behind the write position, for a while.
        var lsn = await ScalarAsync<string>(primary, "SELECT pg_current_wal_insert_lsn()::text", cancellationToken);
        await using var standby = new NpgsqlConnection(Standby.ConnectionString);
        await standby.OpenAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        while (!await ScalarAsync<bool>(standby, $"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", deadline.Token))
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>Stops (or resumes) WAL replay on the standby: it keeps answering, with older and older data.</summary>
    public Task PauseReplayAsync(bool paused = true) =>
        ExecuteAsync(Standby, paused ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()");

    /// <summary>Stops the primary (fast shutdown: every session is terminated).</summary>
    public Task StopPrimaryAsync() => PrivateCluster.DevDbAsync(_primaryDirectory, "stop");

    /// <summary>Promotes the standby to a primary (pg_ctl promote, waiting until it accepts writes).</summary>
    public Task PromoteStandbyAsync() => PrivateCluster.DevDbAsync(_standbyDirectory, "promote");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await PrivateCluster.DevDbAsync(_standbyDirectory, "destroy");
        await PrivateCluster.DevDbAsync(_primaryDirectory, "destroy");
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
