using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;
using TeslaDb.Benchmarks;
using TeslaDb.Connection;
using TeslaDb.Migrations.Runner;

// Usage: TeslaDb.Benchmarks <connection to a server where we may create a database> [--quick] [--out FILE]
//        TeslaDb.Benchmarks <connection> --fluentmigrator-race
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: TeslaDb.Benchmarks <connection string or URL> [--quick] [--out docs/benchmarks.md] | --fluentmigrator-race  (scripts/bench.sh runs it on a throwaway cluster)");
    return 2;
}

if (args.Contains("--fluentmigrator-race"))
{
    await FluentMigratorRace.RunAsync(TeslaDbConnectionString.Parse(args[0]));
    return 0;
}

if (args.Contains("--admin-paging"))
{
    // The connection names a database already loaded with sample data (scripts/bench.sh does it).
    Console.WriteLine(await AdminPagingBenchmark.RunAsync(TeslaDbConnectionString.Parse(args[0]).ConnectionString, args.Contains("--quick")));
    return 0;
}

var quick = args.Contains("--quick");
var outIndex = Array.IndexOf(args, "--out");
var outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
var server = TeslaDbConnectionString.Parse(args[0]);
var dbName = "tesladb_bench_" + Guid.NewGuid().ToString("N")[..8];
await using (var admin = new NpgsqlConnection(server.ConnectionString))
{
    await admin.OpenAsync();
    await new NpgsqlCommand($"CREATE DATABASE {dbName}", admin).ExecuteNonQueryAsync();
}

var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = dbName, Timezone = "UTC" };
try
{
    await new TeslaDbMigrator(new MigratorOptions { ConnectionString = target.ConnectionString }).UpAsync();
    await using var access = TeslaDbDatabase.Create(target.ConnectionString);
    await using var raw = new NpgsqlDataSourceBuilder(target.ConnectionString).Build();
    // Hand-written Npgsql as a careful app would configure it: auto-prepare, no reset on return to the pool.
    await using var tuned = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(target.ConnectionString) { MaxAutoPrepare = 32, AutoPrepareMinUsages = 2, NoResetOnClose = true }.ConnectionString).Build();
    var accounts = new TeslaDb.Access.Accounts.TeslaAccountRepository(access);
    var vehicles = new VehicleRepository(access);
    var cache = new VehicleCacheRepository(access);
    var account = await accounts.CreateAsync(Guid.NewGuid(), "Bench");
    var rounds = quick ? 5 : 30;

    // 500 vehicles of about 2 KB of jsonb each, built before timing; two versions used in turn so that every run
    // really changes every row.
    List<JsonElement> Build(int generation)
    {
        var padding = new string('x', 900);
        return [.. Enumerable.Range(0, 500).Select(i => JsonDocument.Parse(
            $$"""{"id": {{1492932226450100L + i}}, "vehicle_id": {{999823797L + i}}, "vin": "5YJ3E1EA{{i % 10}}PF{{i:000000}}", "display_name": "Car {{i}}", "access_type": "OWNER", "state": "{{(generation % 2 == 0 ? "online" : "asleep")}}", "in_service": false, "api_version": 67, "generation": {{generation}}, "option_codes": "AD15,MDL3,PBSB,RENA,BT37,ID3W,RF3G,S3PB,DRLH,DV2W,W39B,APF0,COUS,BC3B,CH07,PC30,FC3P,FG31,GLFR,HL31,HM31,IL31,LTPB,MR31,FM3B,RS3H,SA3P,STCP,SC04,SU3C,T3CA,TW00,TM00,UT3P,WR00,AU3P,APH3,AF00,ZCST,MI00,CDM0", "vehicle_config": {"car_type": "model3", "trim_badging": "74d", "exterior_color": "MidnightSilver"}, "padding": "{{padding}}"}""").RootElement.Clone())];
    }

    List<JsonElement>[] fleets = [Build(1), Build(2)];
    var turn = 0;
    List<JsonElement> Fleet() => fleets[turn++ % 2];
    var upserts = await Measure.InterleavedAsync(
        warmups: 2,
        rounds,
        ("repository UpsertAsync", async () => await vehicles.UpsertAsync(account.Id, Fleet())),
        ("raw Npgsql, same statement", () => RawUpsertAsync(raw, account.Id, Fleet())),
        ("row by row (seed's Python)", () => RowByRowAsync(raw, account.Id, Fleet())));

    // Fresh-cache hits: 200 reads per sample.
    var vehicleId = (await vehicles.ListAsync(account.Id))[0].Id;
    await cache.StoreAsync(account.Id, vehicleId, "charge_state", JsonDocument.Parse("""{"battery_level": 80, "usable_battery_level": 79, "battery_range": 231.5, "charge_limit_soc": 80, "charging_state": "Disconnected", "charger_power": 0, "charge_energy_added": 12.4, "time_to_full_charge": 0.0, "charge_port_door_open": false, "timestamp": 1732526400123}""").RootElement, TimeSpan.FromHours(1));
    await using var held = await raw.OpenConnectionAsync();
    await using var prepared = new NpgsqlCommand(VehicleCacheRepository.FreshSql, held);
    prepared.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicleId });
    prepared.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = "charge_state" });
    await prepared.PrepareAsync();
    const int reads = 200;
    var hits = await Measure.InterleavedAsync(
        warmups: 3,
        rounds * 4,
        ("repository GetFreshAsync", async () =>
        {
            for (var i = 0; i < reads; i++)
            {
                _ = (await cache.GetFreshAsync(vehicleId, "charge_state"))!.Value.GetProperty("battery_level").GetInt32();
            }
        }),
        ("raw Npgsql prepared statement", async () =>
        {
            for (var i = 0; i < reads; i++)
            {
                using var json = JsonDocument.Parse((string)(await prepared.ExecuteScalarAsync())!);
                _ = json.RootElement.GetProperty("battery_level").GetInt32();
            }
        }),
        ("raw Npgsql, data source command per read", async () =>
        {
            for (var i = 0; i < reads; i++)
            {
                await using var command = tuned.CreateCommand(VehicleCacheRepository.FreshSql);
                command.Parameters.Add(new NpgsqlParameter("vehicle_id", NpgsqlDbType.Uuid) { Value = vehicleId });
                command.Parameters.Add(new NpgsqlParameter("endpoint_name", NpgsqlDbType.Text) { Value = "charge_state" });
                using var json = JsonDocument.Parse((string)(await command.ExecuteScalarAsync())!);
                _ = json.RootElement.GetProperty("battery_level").GetInt32();
            }
        }));

    var report = Report(upserts, hits, reads, quick);
    Console.WriteLine(report);
    if (outFile is not null)
    {
        await File.WriteAllTextAsync(outFile, report);
    }

    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = new NpgsqlConnection(server.ConnectionString);
    await admin.OpenAsync();
    await new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", admin).ExecuteNonQueryAsync();
}

static async Task RawUpsertAsync(NpgsqlDataSource raw, Guid account, List<JsonElement> fleet)
{
    // The hand-written equivalent: the same statement, arrays built straight from the JSON, no validation.
    await using var command = raw.CreateCommand(VehicleRepository.UpsertSql);
    command.Parameters.Add(new NpgsqlParameter("account_id", NpgsqlDbType.Uuid) { Value = account });
    command.Parameters.Add(new NpgsqlParameter("tesla_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = fleet.Select(v => v.GetProperty("id").GetInt64()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("tesla_vehicle_ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = fleet.Select(v => (long?)v.GetProperty("vehicle_id").GetInt64()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("vins", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fleet.Select(v => v.GetProperty("vin").GetString()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("vehicle_data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = fleet.Select(v => v.GetRawText()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("display_names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fleet.Select(v => v.GetProperty("display_name").GetString()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("access_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fleet.Select(v => v.GetProperty("access_type").GetString()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = fleet.Select(v => v.GetProperty("state").GetString()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("in_service", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = fleet.Select(v => v.GetProperty("in_service").GetBoolean()).ToArray() });
    command.Parameters.Add(new NpgsqlParameter("api_versions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = fleet.Select(v => (int?)v.GetProperty("api_version").GetInt32()).ToArray() });
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
    }
}

static async Task RowByRowAsync(NpgsqlDataSource raw, Guid account, List<JsonElement> fleet)
{
    // What the seed's Python sample does: one upsert (one round trip) per vehicle.
    await using var connection = await raw.OpenConnectionAsync();
    foreach (var v in fleet)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO vehicles (tesla_account_id, tesla_id, tesla_vehicle_id, vin, vehicle_data, display_name, access_type, state, in_service, api_version)
            VALUES (@a, @id, @vid, @vin, @data, @name, @access, @state, @in_service, @api)
            ON CONFLICT (tesla_account_id, tesla_id) DO UPDATE SET vehicle_data = EXCLUDED.vehicle_data, display_name = EXCLUDED.display_name,
                state = EXCLUDED.state, updated_at = NOW(), last_synced_at = NOW()
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Uuid) { Value = account });
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Bigint) { Value = v.GetProperty("id").GetInt64() });
        command.Parameters.Add(new NpgsqlParameter("vid", NpgsqlDbType.Bigint) { Value = v.GetProperty("vehicle_id").GetInt64() });
        command.Parameters.Add(new NpgsqlParameter("vin", NpgsqlDbType.Text) { Value = v.GetProperty("vin").GetString()! });
        command.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Jsonb) { Value = v.GetRawText() });
        command.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = v.GetProperty("display_name").GetString()! });
        command.Parameters.Add(new NpgsqlParameter("access", NpgsqlDbType.Text) { Value = v.GetProperty("access_type").GetString()! });
        command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Text) { Value = v.GetProperty("state").GetString()! });
        command.Parameters.Add(new NpgsqlParameter("in_service", NpgsqlDbType.Boolean) { Value = false });
        command.Parameters.Add(new NpgsqlParameter("api", NpgsqlDbType.Integer) { Value = 67 });
        await command.ExecuteNonQueryAsync();
    }
}

static string Report(List<Measure.Result> upserts, List<Measure.Result> hits, int reads, bool quick)
{
    var text = new StringBuilder();
    text.AppendLine(CultureInfo.InvariantCulture, $"### Batch upsert of 500 vehicles (~2 KB jsonb each), {upserts[0].Samples} interleaved runs{(quick ? " (--quick)" : string.Empty)}");
    text.AppendLine();
    text.AppendLine("| variant | median ms | p95 ms | ratio to raw Npgsql |");
    text.AppendLine("| --- | ---: | ---: | ---: |");
    var rawUpsert = upserts[1].MedianMs;
    foreach (var r in upserts)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs)} | {Measure.Ms(r.P95Ms)} | {Measure.Ratio(r.MedianMs / rawUpsert)} |");
    }

    text.AppendLine();
    text.AppendLine(CultureInfo.InvariantCulture, $"Row by row is {Measure.Ratio(upserts[2].MedianMs / upserts[0].MedianMs)} slower than the repository.");
    text.AppendLine();
    text.AppendLine(CultureInfo.InvariantCulture, $"### Fresh-cache hit (charge_state), per read, {hits[0].Samples} interleaved samples of {reads} reads");
    text.AppendLine();
    text.AppendLine("| variant | median µs/read | p95 µs/read | ratio to prepared, held connection | ratio to data source command |");
    text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
    var held = hits[1].MedianMs;
    var perRead = hits[2].MedianMs;
    foreach (var r in hits)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs * 1000 / reads)} | {Measure.Ms(r.P95Ms * 1000 / reads)} | {Measure.Ratio(r.MedianMs / held)} | {Measure.Ratio(r.MedianMs / perRead)} |");
    }

    return text.ToString();
}
