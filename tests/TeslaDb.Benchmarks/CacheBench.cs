using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>Fresh-cache hit and miss: the repository against a raw Npgsql prepared statement (and the same statement
/// through a data source, one command per read).</summary>
internal static class CacheBench
{
    private const int Reads = 200;

    public static async Task<string> RunAsync(BenchOptions options)
    {
        await using var db = await options.CreateDatabaseAsync("cache");
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync();
        await using var access = TeslaDbDatabase.Create(db.ConnectionString);
        await using var raw = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        // Hand-written Npgsql as a careful app would configure it: auto-prepare, no reset on return to the pool.
        await using var tuned = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2, NoResetOnClose = true }.ConnectionString).Build();
        var account = await new TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Bench");
        var vehicles = new VehicleRepository(access);
        var cache = new VehicleCacheRepository(access);
        var ids = await vehicles.UpsertAsync(account.Id, [JsonDocument.Parse("""{"id": 1492932226450100, "vehicle_id": 999823797, "vin": "5YJ3E1EA0PF000001", "display_name": "Car", "state": "online"}""").RootElement]);
        var vehicleId = ids.Values.Single();
        var payload = JsonDocument.Parse("""{"battery_level": 80, "usable_battery_level": 79, "battery_range": 231.5, "charge_limit_soc": 80, "charging_state": "Disconnected", "charger_power": 0, "charge_energy_added": 12.4, "time_to_full_charge": 0.0, "charge_port_door_open": false, "timestamp": 1732526400123}""").RootElement;
        await cache.StoreAsync(account.Id, vehicleId, "charge_state", payload, TimeSpan.FromHours(1));
        // A miss is an entry that expired (the usual case: it was cached before), not an absent one.
        await cache.StoreAsync(account.Id, vehicleId, "climate_state", payload, TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        var rounds = (options.Quick ? 5 : 30) * 4;

        var text = new StringBuilder();
        foreach (var (endpoint, hit) in new[] { ("charge_state", true), ("climate_state", false) })
        {
            await using var held = await raw.OpenConnectionAsync();
            await using var prepared = new NpgsqlCommand(VehicleCacheRepository.FreshSql, held);
            prepared.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicleId });
            prepared.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = endpoint });
            await prepared.PrepareAsync();
            (string, Func<Task>)[] variants = [
                ("repository GetFreshAsync", async () =>
                {
                    for (var i = 0; i < Reads; i++)
                    {
                        Check(hit, await cache.GetFreshAsync(vehicleId, endpoint) is { } json ? json.GetProperty("battery_level").GetInt32() : null);
                    }
                }),
                ("raw Npgsql prepared statement, held connection", async () =>
                {
                    for (var i = 0; i < Reads; i++)
                    {
                        Check(hit, await prepared.ExecuteScalarAsync() is string s ? Battery(s) : null);
                    }
                }),
                ("raw Npgsql, data source command per read", async () =>
                {
                    for (var i = 0; i < Reads; i++)
                    {
                        await using var command = tuned.CreateCommand(VehicleCacheRepository.FreshSql);
                        command.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicleId });
                        command.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = endpoint });
                        Check(hit, await command.ExecuteScalarAsync() is string s ? Battery(s) : null);
                    }
                })];
            if (hit)
            {
                // The read-through's hit path (single-flight, fail-safe and policies cost nothing until a miss) beside
                // GetFreshAsync, which is exactly what GetOrFetchAsync ran on a hit before them.
                variants = [.. variants, ("repository GetOrFetchAsync (read-through)", async () =>
                {
                    var request = new CacheRequest(account.Id, vehicleId, endpoint);
                    for (var i = 0; i < Reads; i++)
                    {
                        var result = await cache.GetOrFetchAsync(request, _ => throw new InvalidOperationException("expected a cache hit, got a miss"));
                        Check(hit, result.Value.GetProperty("battery_level").GetInt32());
                    }
                })];
            }

            var results = await Measure.InterleavedAsync(warmups: 3, rounds, variants);

            text.AppendLine(CultureInfo.InvariantCulture, $"### Fresh-cache {(hit ? "hit (charge_state)" : "miss (climate_state, expired)")}, per read, {results[0].Samples} interleaved samples of {Reads} reads{options.QuickNote}");
            text.AppendLine();
            text.AppendLine("| variant | median µs/read | p95 µs/read | ratio to prepared, held connection | ratio to data source command |");
            text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var r in results)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs * 1000 / Reads)} | {Measure.Ms(r.P95Ms * 1000 / Reads)} | {Measure.Ratio(r.MedianMs / results[1].MedianMs)} | {Measure.Ratio(r.MedianMs / results[2].MedianMs)} |");
            }

            if (hit)
            {
                text.AppendLine();
                text.AppendLine(CultureInfo.InvariantCulture, $"Read-through hit path against before (GetFreshAsync, what GetOrFetchAsync ran on a hit): {Measure.Ratio(results[3].MedianMs / results[0].MedianMs)}.");
            }

            text.AppendLine();
        }

        text.Append(await CacheStampedeBench.RunAsync(db.ConnectionString, options));
        return text.ToString();
    }

    private static int Battery(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("battery_level").GetInt32();
    }

    private static void Check(bool hit, int? battery)
    {
        if (hit != battery.HasValue)
        {
            throw new InvalidOperationException(hit ? "expected a cache hit, got a miss" : "expected a miss, got a hit");
        }
    }
}
