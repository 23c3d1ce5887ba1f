using Npgsql;

namespace TeslaDb.Admin.Core;

/// <summary>
/// The database's health as far as TeslaDb's four tables go, one row per fact: sizes, live and dead rows, last
/// autovacuum and autoanalyze, a bloat estimate (dead rows as a share of all rows, what autovacuum has yet to
/// reclaim); queries running for more than a few seconds and locks waited for on the four tables; the pg_cron
/// cleanup job and its last runs when pg_cron is installed; the cache by age. All read from the statistics views,
/// never a scan of the tables except the cache age buckets (which read only two timestamp columns).
/// </summary>
public sealed class HealthReport
{
    public static readonly IReadOnlyList<string> Columns = ["Section", "What", "Detail"];

    private const string OurTables = "('public.tesla_accounts', 'public.tokens', 'public.vehicles', 'public.vehicle_data_cache')";

    private HealthReport(IReadOnlyList<IReadOnlyList<string>> rows) => Rows = rows;

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    public static async Task<HealthReport> LoadAsync(AdminSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var rows = new List<IReadOnlyList<string>>();
        await using var connection = await session.OwnData.OpenConnectionAsync(cancellationToken);
        await TablesAsync(connection, rows, cancellationToken);
        await ActivityAsync(connection, rows, cancellationToken);
        await CronAsync(connection, rows, cancellationToken);
        await CacheAgesAsync(connection, rows, cancellationToken);
        return new HealthReport(rows);
    }

    private static async Task TablesAsync(NpgsqlConnection connection, List<IReadOnlyList<string>> rows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT s.relname, pg_relation_size(s.relid), pg_indexes_size(s.relid), pg_total_relation_size(s.relid),
                   s.n_live_tup, s.n_dead_tup, s.last_autovacuum, s.last_autoanalyze
              FROM pg_stat_user_tables s
             WHERE s.schemaname || '.' || s.relname IN {OurTables}
             ORDER BY s.relname
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            long live = reader.GetInt64(4), dead = reader.GetInt64(5);
            var bloat = live + dead == 0 ? 0 : 100.0 * dead / (live + dead);
            rows.Add(["table", reader.GetString(0),
                $"table {Format.Bytes(reader.GetInt64(1))} · indexes {Format.Bytes(reader.GetInt64(2))} · total {Format.Bytes(reader.GetInt64(3))} · "
                + $"{Format.Count(live)} live, {Format.Count(dead)} dead (bloat ≈ {bloat:0.0} %) · "
                + $"autovacuum {When(reader, 6)} · autoanalyze {When(reader, 7)}"]);
        }
    }

    private static async Task ActivityAsync(NpgsqlConnection connection, List<IReadOnlyList<string>> rows, CancellationToken ct)
    {
        // Queries running for more than 5 s (other than this one), and any lock on the four tables not granted yet.
        await using var command = new NpgsqlCommand($"""
            SELECT 'query', a.pid::text, round(extract(epoch FROM now() - a.query_start))::bigint,
                   coalesce(a.wait_event_type || ':' || a.wait_event, a.state), left(regexp_replace(a.query, '\s+', ' ', 'g'), 120)
              FROM pg_stat_activity a
             WHERE a.pid <> pg_backend_pid() AND a.state <> 'idle' AND a.query_start < now() - interval '5 seconds'
               AND a.backend_type = 'client backend'
            UNION ALL
            SELECT 'lock', l.pid::text, round(extract(epoch FROM now() - coalesce(a.query_start, now())))::bigint,
                   l.mode || ' on ' || c.relname || CASE WHEN l.granted THEN ' (held)' ELSE ' (waiting)' END,
                   left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120)
              FROM pg_locks l
              JOIN pg_class c ON c.oid = l.relation
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE n.nspname || '.' || c.relname IN {OurTables} AND l.pid <> pg_backend_pid()
               AND (NOT l.granted OR l.mode IN ('AccessExclusiveLock', 'ExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock'))
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var any = false;
        while (await reader.ReadAsync(ct))
        {
            any = true;
            rows.Add([reader.GetString(0), $"pid {reader.GetString(1)} · {reader.GetInt64(2)} s", $"{reader.GetString(3)} · {reader.GetString(4)}"]);
        }

        if (!any)
        {
            rows.Add(["activity", "long queries, locks", "none: no query running over 5 s, no strong or waiting lock on the four tables"]);
        }
    }

    private static async Task CronAsync(NpgsqlConnection connection, List<IReadOnlyList<string>> rows, CancellationToken ct)
    {
        await using (var probe = new NpgsqlCommand("SELECT to_regclass('cron.job') IS NOT NULL AND to_regclass('cron.job_run_details') IS NOT NULL", connection))
        {
            if (!(bool)(await probe.ExecuteScalarAsync(ct))!)
            {
                rows.Add(["pg_cron", "cleanup job", "pg_cron is not installed: nothing runs cleanup_expired_cache() on a schedule here"]);
                return;
            }
        }

        await using var command = new NpgsqlCommand("""
            SELECT j.jobid, j.schedule, j.active, d.status, d.start_time, d.end_time, left(coalesce(d.return_message, ''), 80)
              FROM cron.job j
              LEFT JOIN LATERAL (SELECT * FROM cron.job_run_details r WHERE r.jobid = j.jobid ORDER BY r.start_time DESC LIMIT 5) d ON true
             WHERE j.command ILIKE '%cleanup_expired_cache%'
             ORDER BY j.jobid, d.start_time DESC
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var any = false;
        while (await reader.ReadAsync(ct))
        {
            any = true;
            var job = $"job {reader.GetInt64(0)} '{reader.GetString(1)}'{(reader.GetBoolean(2) ? string.Empty : " (inactive)")}";
            rows.Add(["pg_cron", job, reader.IsDBNull(3) ? "never ran" : $"{reader.GetString(3)} at {When(reader, 4)} · {reader.GetString(6)}"]);
        }

        if (!any)
        {
            rows.Add(["pg_cron", "cleanup job", "pg_cron is installed but no job runs cleanup_expired_cache() (tesladb-migrate schedule-cleanup)"]);
        }
    }

    private static async Task CacheAgesAsync(NpgsqlConnection connection, List<IReadOnlyList<string>> rows, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FILTER (WHERE last_fetched_at > now() - interval '5 minutes'),
                   count(*) FILTER (WHERE last_fetched_at <= now() - interval '5 minutes' AND last_fetched_at > now() - interval '1 hour'),
                   count(*) FILTER (WHERE last_fetched_at <= now() - interval '1 hour' AND last_fetched_at > now() - interval '1 day'),
                   count(*) FILTER (WHERE last_fetched_at <= now() - interval '1 day'),
                   count(*) FILTER (WHERE expires_at <= now())
              FROM public.vehicle_data_cache
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        rows.Add(["cache age", "fetched < 5 min", Format.Count(reader.GetInt64(0))]);
        rows.Add(["cache age", "5 min – 1 h", Format.Count(reader.GetInt64(1))]);
        rows.Add(["cache age", "1 h – 1 day", Format.Count(reader.GetInt64(2))]);
        rows.Add(["cache age", "over 1 day", Format.Count(reader.GetInt64(3))]);
        rows.Add(["cache age", "expired now", Format.Count(reader.GetInt64(4))]);
    }

    private static string When(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? "never" : Format.Time(reader.GetFieldValue<DateTimeOffset>(column));
}
