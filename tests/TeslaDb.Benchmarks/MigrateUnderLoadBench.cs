using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using TeslaDb.Access;
using TeslaDb.Access.Cache;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>
/// Issue 9's schema changes applied to a loaded cache while writers upsert: <c>TeslaDbMigrator.UpAsync</c> applying
/// migrations 202612021000–1055 (unique and cache indexes CONCURRENTLY, the foreign key NOT VALID then validated,
/// pg_trgm indexes CONCURRENTLY) against the same changes applied the naive way (plain CREATE INDEX, the foreign key
/// validated inline), each statement in its own transaction. Between rounds the changes are reverted, so both
/// variants run on the same rows. What matters is the writers' worst latency: a plain CREATE INDEX on the cache and
/// an inline foreign key block every upsert for the whole build or scan.
/// </summary>
internal static class MigrateUnderLoadBench
{
    private const int Writers = 4;
    private const int EndpointsPerVehicle = 100;
    private const long Before = 202611251200;

    private static readonly string[] NaiveStatements =
    [
        "CREATE UNIQUE INDEX uq_vehicles_id_account ON public.vehicles (id, tesla_account_id)",
        "CREATE INDEX idx_cache_vehicle_account ON public.vehicle_data_cache (vehicle_id, tesla_account_id)",
        "ALTER TABLE public.vehicle_data_cache ADD CONSTRAINT fk_cache_vehicle_account FOREIGN KEY (vehicle_id, tesla_account_id) REFERENCES public.vehicles (id, tesla_account_id) ON UPDATE CASCADE ON DELETE CASCADE",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX idx_tesla_accounts_email_trgm ON public.tesla_accounts USING gin (email public.gin_trgm_ops)",
        "CREATE INDEX idx_tesla_accounts_account_name_trgm ON public.tesla_accounts USING gin (account_name public.gin_trgm_ops)",
    ];

    private static readonly string[] NaiveRevert =
    [
        "ALTER TABLE public.vehicle_data_cache DROP CONSTRAINT fk_cache_vehicle_account",
        "DROP INDEX public.idx_cache_vehicle_account",
        "DROP INDEX public.uq_vehicles_id_account",
        "DROP INDEX public.idx_tesla_accounts_email_trgm",
        "DROP INDEX public.idx_tesla_accounts_account_name_trgm",
        "DROP EXTENSION pg_trgm",
    ];

    public static async Task<string> RunAsync(BenchOptions options)
    {
        var total = options.CleanupRows ?? (options.Quick ? 40_000 : 1_000_000);
        var rounds = options.Quick ? 1 : 2;
        await using var db = await options.CreateDatabaseAsync("migrateload");
        var migrator = new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString });
        await migrator.UpAsync(Before);

        var load = Stopwatch.StartNew();
        var vehicles = total / EndpointsPerVehicle;
        await db.ExecuteAsync($"""
            INSERT INTO public.tesla_accounts (supabase_user_id, account_name, email)
            SELECT gen_random_uuid(), 'Account ' || g, 'driver' || g || '@example.com' FROM generate_series(1, {Math.Max(1, vehicles / 2)}) g;
            INSERT INTO public.vehicles (tesla_account_id, tesla_id, vin, vehicle_data, state)
            SELECT a.id, 9000000000 + g, '5YJ3E1EA' || lpad(g::text, 9, '0'), jsonb_build_object('id', g), 'online'
              FROM generate_series(1, {vehicles}) g
              JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM public.tesla_accounts) a ON a.n = g % {Math.Max(1, vehicles / 2)};
            INSERT INTO public.vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
            SELECT v.tesla_account_id, v.id, 'endpoint_' || e,
                   jsonb_build_object('battery_level', e, 'charging_state', 'Disconnected', 'note', repeat('x', 80)),
                   now() + interval '1 day'
              FROM public.vehicles v CROSS JOIN generate_series(0, {EndpointsPerVehicle - 1}) e;
            """);
        await db.ExecuteAsync("VACUUM (ANALYZE)");
        await db.ExecuteAsync("CHECKPOINT");
        var loadSeconds = load.Elapsed.TotalSeconds;

        await using var access = TeslaDbDatabase.Create(db.ConnectionString);
        var cache = new VehicleCacheRepository(access);
        var keys = new List<(Guid Account, Guid Vehicle)>();
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var reader = await new NpgsqlCommand("SELECT tesla_account_id, id FROM public.vehicles ORDER BY tesla_id LIMIT 400", connection).ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                keys.Add((reader.GetGuid(0), reader.GetGuid(1)));
            }
        }

        var payload = JsonDocument.Parse("""{"battery_level": 80, "charging_state": "Charging", "timestamp": 1732526400123}""").RootElement;

        async Task<(double Ms, List<double> Latencies)> UnderLoadAsync(Func<Task> action)
        {
            using var stop = new CancellationTokenSource();
            var latencies = new ConcurrentBag<double>();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                var i = w;
                while (!stop.IsCancellationRequested)
                {
                    var (account, vehicle) = keys[i % keys.Count];
                    var watch = Stopwatch.StartNew();
                    await cache.StoreAsync(account, vehicle, "live_state", payload, TimeSpan.FromHours(1));
                    latencies.Add(watch.Elapsed.TotalMilliseconds);
                    i += Writers;
                }
            })).ToArray();
            await Task.Delay(300);
            var watch = Stopwatch.StartNew();
            await action();
            var ms = watch.Elapsed.TotalMilliseconds;
            await Task.Delay(300);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            return (ms, [.. latencies]);
        }

        async Task EachInItsOwnTransactionAsync(IEnumerable<string> statements)
        {
            foreach (var sql in statements)
            {
                await db.ExecuteAsync(sql);
            }
        }

        const string Safe = "`tesladb-migrate up` (TeslaDbMigrator.UpAsync): CONCURRENTLY, NOT VALID + VALIDATE";
        const string Naive = "naive: plain CREATE INDEX, foreign key validated inline";
        var idle = await UnderLoadAsync(() => Task.Delay(TimeSpan.FromSeconds(options.Quick ? 1 : 3)));
        var results = new Dictionary<string, List<(double Ms, List<double> Latencies)>> { [Safe] = [], [Naive] = [] };
        for (var round = 0; round < rounds; round++)
        {
            foreach (var name in round % 2 == 0 ? new[] { Safe, Naive } : [Naive, Safe])
            {
                if (name == Safe)
                {
                    results[name].Add(await UnderLoadAsync(async () => await migrator.UpAsync()));
                    await migrator.DownAsync(Before);
                }
                else
                {
                    results[name].Add(await UnderLoadAsync(() => EachInItsOwnTransactionAsync(NaiveStatements)));
                    await EachInItsOwnTransactionAsync(NaiveRevert);
                }
            }
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Applying issue 9's schema changes to {total:N0} cache rows ({vehicles:N0} vehicles) while {Writers} writers upsert, {rounds} interleaved round(s){options.QuickNote}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Loaded server-side in {loadSeconds:0} s. Writers: `StoreAsync` of one cache row each, without pause, on 400 vehicles. `up` runs with its defaults: every statement under lock_timeout = 5 s, retried with back-off; the naive variant runs the same changes without timeouts.");
        text.AppendLine();
        text.AppendLine("| while | run s (median) | upserts | median ms | p99 ms | max ms | p99 ratio to idle |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var idleP99 = Percentile(idle.Latencies, 0.99);
        text.AppendLine(CultureInfo.InvariantCulture, $"| nothing else running (idle) | | {idle.Latencies.Count} | {Measure.Ms(Percentile(idle.Latencies, 0.5))} | {Measure.Ms(idleP99)} | {Measure.Ms(idle.Latencies.Max())} | 1.00× |");
        foreach (var name in new[] { Safe, Naive })
        {
            var all = results[name].SelectMany(r => r.Latencies).ToList();
            var seconds = results[name].Select(r => r.Ms / 1000).Order().ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {seconds[seconds.Count / 2]:0.00} | {all.Count} | {Measure.Ms(Percentile(all, 0.5))} | {Measure.Ms(Percentile(all, 0.99))} | {Measure.Ms(all.Max())} | {Measure.Ratio(Percentile(all, 0.99) / idleP99)} |");
        }

        return text.ToString();
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * p) - 1)];
    }
}
