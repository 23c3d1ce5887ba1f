using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>
/// <c>cleanup_expired_cache()</c> on a table where half the rows expired, against a bare DELETE of the same rows,
/// and the latency of concurrent upserts of fresh rows while each runs (and while nothing runs).
/// The table is loaded once, server-side; each delete runs in a transaction that is rolled back, so that every round
/// deletes the same rows (a rollback costs nothing in PostgreSQL; the commit it saves is one WAL flush, measured once
/// at the end with a real, committed cleanup).
/// </summary>
internal static class CleanupBench
{
    private const int Writers = 4;
    private const int EndpointsPerVehicle = 100;
    private const string BareDelete = "DELETE FROM public.vehicle_data_cache WHERE expires_at IS NOT NULL AND expires_at <= now()";

    // What cleanup_expired_cache() ran before migration 202612021000 (from 202611251200): the locked ids joined back
    // to the table, which the planner does with a hash join over a sequential scan of all rows.
    private const string JoinDelete = """
        WITH doomed AS (
            SELECT id FROM public.vehicle_data_cache
             WHERE expires_at IS NOT NULL AND expires_at <= now()
               FOR UPDATE SKIP LOCKED
        )
        DELETE FROM public.vehicle_data_cache c USING doomed WHERE c.id = doomed.id
        """;

    // The optimistic candidate (issue 9, not shipped: see docs/benchmarks.md): a plain DELETE under a short
    // lock_timeout in a subtransaction, falling back to the SKIP LOCKED form when a writer holds an expired row.
    private const string OptimisticFunction = """
        CREATE OR REPLACE FUNCTION public.cleanup_expired_cache_optimistic() RETURNS integer
            LANGUAGE plpgsql
            SET search_path = ''
        AS $function$
        DECLARE
            deleted integer;
            previous text := current_setting('lock_timeout');
        BEGIN
            BEGIN
                PERFORM set_config('lock_timeout', '50ms', true);
                DELETE FROM public.vehicle_data_cache WHERE expires_at IS NOT NULL AND expires_at <= now();
                GET DIAGNOSTICS deleted = ROW_COUNT;
                PERFORM set_config('lock_timeout', previous, true);
            EXCEPTION WHEN lock_not_available THEN
                DELETE FROM public.vehicle_data_cache
                 WHERE ctid = ANY (ARRAY(
                        SELECT ctid FROM public.vehicle_data_cache
                         WHERE expires_at IS NOT NULL AND expires_at <= now()
                           FOR UPDATE SKIP LOCKED));
                GET DIAGNOSTICS deleted = ROW_COUNT;
            END;
            RETURN deleted;
        END
        $function$;
        """;

    public static async Task<string> RunAsync(BenchOptions options)
    {
        var total = options.CleanupRows ?? (options.Quick ? 40_000 : 2_000_000);
        var rounds = 3;
        await using var db = await options.CreateDatabaseAsync("cleanup");
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync();
        await using var access = TeslaDbDatabase.Create(db.ConnectionString);
        var cache = new VehicleCacheRepository(access);
        var account = await new TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Cleanup");

        var load = Stopwatch.StartNew();
        await db.ExecuteAsync($"""
            INSERT INTO public.vehicles (tesla_account_id, tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, state)
            SELECT '{account.Id}', 9000000000 + g, 100000 + g, '5YJ3E1EA' || lpad(g::text, 9, '0'),
                   jsonb_build_object('id', 9000000000 + g, 'state', 'online'), 'Car ' || g, 'online'
              FROM generate_series(1, {total / EndpointsPerVehicle}) g;
            """);
        // Even endpoints expired an hour ago, odd ones fresh for a day: expired and fresh rows share every page.
        await db.ExecuteAsync($"""
            INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
            SELECT v.tesla_account_id, v.id, 'endpoint_' || e,
                   jsonb_build_object('battery_level', e, 'charging_state', 'Disconnected', 'battery_range', 231.5, 'timestamp', 1732526400123, 'note', repeat('x', 80)),
                   CASE WHEN e % 2 = 0 THEN now() - interval '1 hour' ELSE now() + interval '1 day' END
              FROM public.vehicles v CROSS JOIN generate_series(0, {EndpointsPerVehicle - 1}) e
             WHERE v.tesla_account_id = '{account.Id}';
            """);
        await db.ExecuteAsync(OptimisticFunction);
        await db.ExecuteAsync("VACUUM (ANALYZE) public.vehicle_data_cache");
        await db.ExecuteAsync("CHECKPOINT");
        var loadSeconds = load.Elapsed.TotalSeconds;

        await using var sizeConnection = new NpgsqlConnection(db.ConnectionString);
        await sizeConnection.OpenAsync();
        var tableSize = (string)(await new NpgsqlCommand("SELECT pg_size_pretty(pg_total_relation_size('public.vehicle_data_cache'))", sizeConnection).ExecuteScalarAsync())!;
        var expired = (long)(await new NpgsqlCommand("SELECT count(*) FROM public.vehicle_data_cache WHERE expires_at <= now()", sizeConnection).ExecuteScalarAsync())!;

        // The writers' keys: a fresh 'live_state' entry on each of the first vehicles, upserted again and again.
        var writerVehicles = new List<Guid>();
        await using (var reader = await new NpgsqlCommand("SELECT id FROM public.vehicles ORDER BY tesla_id LIMIT 400", sizeConnection).ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                writerVehicles.Add(reader.GetGuid(0));
            }
        }

        var payload = JsonDocument.Parse("""{"battery_level": 80, "usable_battery_level": 79, "battery_range": 231.5, "charge_limit_soc": 80, "charging_state": "Charging", "charger_power": 11, "timestamp": 1732526400123}""").RootElement;

        // Runs the writers until the action returns; gives the action's duration and each upsert's latency.
        async Task<(double Ms, List<double> Latencies, long Result)> UnderLoadAsync(Func<Task<long>> action, bool holdExpiredRow = false)
        {
            // A writer in the middle of a transaction that touched an expired row (e.g. an upsert of a stale key). The
            // row is picked in a subquery: FOR UPDATE beside OFFSET would lock the skipped rows too.
            await using var holder = new NpgsqlConnection(db.ConnectionString);
            NpgsqlTransaction? held = null;
            if (holdExpiredRow)
            {
                await holder.OpenAsync();
                held = await holder.BeginTransactionAsync();
                await new NpgsqlCommand("SELECT 1 FROM public.vehicle_data_cache WHERE ctid = (SELECT ctid FROM public.vehicle_data_cache WHERE expires_at <= now() ORDER BY ctid OFFSET 1000 LIMIT 1) FOR UPDATE", holder, held).ExecuteScalarAsync();
            }

            using var stop = new CancellationTokenSource();
            var latencies = new ConcurrentBag<double>();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var i = w;
                while (!stop.IsCancellationRequested)
                {
                    var watch = Stopwatch.StartNew();
                    await cache.StoreAsync(account.Id, writerVehicles[i % writerVehicles.Count], "live_state", payload, TimeSpan.FromHours(1));
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    i += Writers;
                }
            })).ToArray();
            await Task.Delay(200);
            var watch = Stopwatch.StartNew();
            var result = await action();
            var ms = watch.Elapsed.TotalMilliseconds;
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            if (held is not null)
            {
                await held.RollbackAsync();
            }

            return (ms, [.. latencies], result);
        }

        async Task<long> RolledBackAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(db.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            long count = sql.StartsWith("SELECT", StringComparison.Ordinal) ? (int)(await command.ExecuteScalarAsync())! : await command.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
            return count;
        }

        // Warm-up: one aborted delete, so that every timed round finds the same hint bits.
        await RolledBackAsync(BareDelete);
        var idleSeconds = options.Quick ? 1 : 3;
        var idle = await UnderLoadAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            return 0;
        });
        (string Name, string Sql)[] variants =
        [
            ("`SELECT cleanup_expired_cache()`: locked rows deleted by ctid (rolled back)", "SELECT public.cleanup_expired_cache()"),
            ("bare `DELETE … WHERE expires_at <= now()` (rolled back)", BareDelete),
            ("before 202612021000: locked ids joined back (rolled back)", JoinDelete),
            ("optimistic candidate: plain DELETE under lock_timeout 50 ms, SKIP LOCKED fallback (rolled back)", "SELECT public.cleanup_expired_cache_optimistic()"),
        ];
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        var latencies = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < variants.Length; k++)
            {
                var (name, sql) = variants[(round + k) % variants.Length];
                var run = await UnderLoadAsync(() => RolledBackAsync(sql));
                if (run.Result != expired)
                {
                    throw new InvalidOperationException($"{name} deleted {run.Result} rows, expected {expired}");
                }

                times[name].Add(run.Ms);
                latencies[name].AddRange(run.Latencies);
            }
        }

        // The case the lock pass exists for: a writer holds one expired row for the whole cleanup.
        (string Name, string Sql)[] heldVariants = [variants[0], variants[3]];
        var heldTimes = heldVariants.ToDictionary(v => v.Name, _ => new List<double>());
        var heldLatencies = heldVariants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < heldVariants.Length; k++)
            {
                var (name, sql) = heldVariants[(round + k) % heldVariants.Length];
                var run = await UnderLoadAsync(() => RolledBackAsync(sql), holdExpiredRow: true);
                if (run.Result != expired - 1)
                {
                    throw new InvalidOperationException($"{name} with one row held deleted {run.Result} rows, expected {expired - 1}");
                }

                heldTimes[name].Add(run.Ms);
                heldLatencies[name].AddRange(run.Latencies);
            }
        }

        // Once for real: the repository's cleanup, committed.
        var committed = await UnderLoadAsync(async () => await cache.CleanupExpiredAsync());
        if (committed.Result != expired)
        {
            throw new InvalidOperationException($"the committed cleanup deleted {committed.Result} rows, expected {expired}");
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### cleanup_expired_cache() on {expired:N0} expired rows among {total:N0} ({tableSize} with indexes), {rounds} interleaved rounds{options.QuickNote}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Loaded server-side with generate_series in {loadSeconds:0} s. Each delete runs while {Writers} writers upsert fresh rows (`StoreAsync`, one row each, distinct keys) without pause.");
        text.AppendLine();
        text.AppendLine("| variant | median s | min s | max s | ratio to bare DELETE |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        var deleteMedian = Median(times[variants[1].Name]);
        foreach (var (name, _) in variants)
        {
            var values = times[name];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Median(values) / 1000:0.00} | {values.Min() / 1000:0.00} | {values.Max() / 1000:0.00} | {Measure.Ratio(Median(values) / deleteMedian)} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| repository `CleanupExpiredAsync`, committed (once) | {committed.Ms / 1000:0.00} | | | {Measure.Ratio(committed.Ms / deleteMedian)} |");
        text.AppendLine();
        text.AppendLine("| concurrent upserts of fresh rows | upserts | median ms | p99 ms | max ms | p99 ratio to idle |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var idleP99 = Percentile(idle.Latencies, 0.99);
        var phases = new List<(string, List<double>)> { ("nothing else running (idle)", idle.Latencies) };
        phases.AddRange(variants.Select(v => ("during " + v.Name.Replace(" (rolled back)", string.Empty, StringComparison.Ordinal), latencies[v.Name])));
        phases.Add(("during the committed cleanup", committed.Latencies));
        foreach (var (name, values) in phases)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {values.Count} | {Measure.Ms(Percentile(values, 0.5))} | {Measure.Ms(Percentile(values, 0.99))} | {Measure.Ms(values.Max())} | {Measure.Ratio(Percentile(values, 0.99) / idleP99)} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"While one more writer holds one expired row (FOR UPDATE, open transaction) for the whole cleanup, {rounds} interleaved rounds:");
        text.AppendLine();
        text.AppendLine("| variant | median s | min s | max s | ratio to bare DELETE (unheld, above) | upserts' p99 ms | upserts' max ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, _) in heldVariants)
        {
            var values = heldTimes[name];
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name.Replace(" (rolled back)", string.Empty, StringComparison.Ordinal)} | {Median(values) / 1000:0.00} | {values.Min() / 1000:0.00} | {values.Max() / 1000:0.00} | {Measure.Ratio(Median(values) / deleteMedian)} | {Measure.Ms(Percentile(heldLatencies[name], 0.99))} | {Measure.Ms(heldLatencies[name].Max())} |");
        }

        return text.ToString();
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * p) - 1)];
    }
}
