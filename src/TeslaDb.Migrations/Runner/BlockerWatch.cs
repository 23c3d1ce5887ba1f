using Npgsql;

namespace TeslaDb.Migrations.Runner;

/// <summary>A session that holds a lock a migration step waits for.</summary>
public sealed record BlockingBackend(int Pid, string ApplicationName, string State, DateTimeOffset? QueryStart)
{
    public override string ToString() =>
        $"pid {Pid} ({ApplicationName}, {State}{(QueryStart is { } start ? $", since {start.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z" : string.Empty)})";
}

/// <summary>What a step was waiting for when last seen blocked: the table and who held it.</summary>
internal sealed record BlockedSighting(string? Table, IReadOnlyList<BlockingBackend> Blockers);

/// <summary>
/// Watches, from the lock session, the session running a migration step: when it queues for a lock, who blocks it
/// (<c>pg_blocking_pids</c>) and on which table. Captured while it waits, because once <c>lock_timeout</c> fires the
/// wait, and the evidence, are gone. Fast steps end before the first look, so they cost nothing.
/// </summary>
internal sealed class BlockerWatch : IAsyncDisposable
{
    private const string Sql = """
        SELECT (SELECT l.relation::regclass::text FROM pg_locks l
                 WHERE l.pid = $1 AND NOT l.granted AND l.locktype = 'relation' LIMIT 1),
               b.pid, coalesce(nullif(b.application_name, ''), 'unnamed client'), coalesce(b.state, 'unknown'), b.query_start
          FROM unnest(pg_blocking_pids($1)) AS blocker(pid)
          JOIN pg_stat_activity b ON b.pid = blocker.pid
         ORDER BY b.pid
        """;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _stopped;

    private BlockerWatch(NpgsqlConnection observer, int pid, TimeSpan interval) =>
        _loop = Task.Run(() => WatchAsync(observer, pid, interval));

    /// <summary>The latest sighting of the step being blocked, or null when it was never seen blocked.</summary>
    public BlockedSighting? Last { get; private set; }

    /// <param name="interval">Time between looks; keep it well under the lock timeout so a wait is seen.</param>
    public static BlockerWatch Start(NpgsqlConnection observer, int pid, TimeSpan interval) => new(observer, pid, interval);

    /// <summary>Stops watching; the observer connection is free again when this returns.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>
    /// The sessions holding a lock on <paramref name="table"/> now: what the step was most likely waiting for, for
    /// when the watch never saw it waiting (a lock timeout shorter than a look under a loaded CPU).
    /// </summary>
    public static async Task<IReadOnlyList<BlockingBackend>> HoldersAsync(NpgsqlConnection observer, string table, int stepPid)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT DISTINCT b.pid, coalesce(nullif(b.application_name, ''), 'unnamed client'), coalesce(b.state, 'unknown'), b.query_start
              FROM pg_locks l JOIN pg_stat_activity b ON b.pid = l.pid
             WHERE l.locktype = 'relation' AND l.granted AND l.relation = to_regclass($1) AND l.pid NOT IN ($2, pg_backend_pid())
             ORDER BY b.pid
            """,
            observer);
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        command.Parameters.Add(new NpgsqlParameter { Value = stepPid });
        await using var reader = await command.ExecuteReaderAsync();
        var holders = new List<BlockingBackend>();
        while (await reader.ReadAsync())
        {
            holders.Add(Read(reader, 0));
        }

        return holders;
    }

    private static BlockingBackend Read(NpgsqlDataReader reader, int first) => new(
        reader.GetInt32(first),
        reader.GetString(first + 1),
        reader.GetString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetFieldValue<DateTimeOffset>(first + 3));

    private async Task WatchAsync(NpgsqlConnection observer, int pid, TimeSpan interval)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, _stop.Token);
                // Not cancelled mid-query: a cancel request could leave the observer session (the lock holder) unusable.
                await LookAsync(observer, pid);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (NpgsqlException)
        {
            // The watch only adds detail to a message: losing it must not fail the migration.
        }
    }

    private async Task LookAsync(NpgsqlConnection observer, int pid)
    {
        await using var command = new NpgsqlCommand(Sql, observer);
        command.Parameters.Add(new NpgsqlParameter { Value = pid });
        await using var reader = await command.ExecuteReaderAsync();
        string? table = null;
        var blockers = new List<BlockingBackend>();
        while (await reader.ReadAsync())
        {
            table ??= reader.IsDBNull(0) ? null : reader.GetString(0);
            blockers.Add(Read(reader, 1));
        }

        if (blockers.Count > 0)
        {
            Last = new BlockedSighting(table, blockers);
        }
    }
}
