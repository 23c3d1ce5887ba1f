using System.Globalization;
using System.Text;
using System.Text.Json;
using LinqToDB;
using LinqToDB.Data;
using Npgsql;
using NpgsqlTypes;
using TeslaDb.Access;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Mapping;
using TeslaDb.Access.Vehicles;
using TeslaDb.Migrations.Runner;

namespace TeslaDb.Benchmarks;

/// <summary>Batch upsert of 500 vehicles (~2 KB of jsonb each): the repository against the same statement in raw
/// Npgsql, row-by-row upserts (the seed's Python) and linq2db's generic MERGE.</summary>
internal static class UpsertBench
{
    private const int Fleet = 500;

    public static async Task<string> RunAsync(BenchOptions options)
    {
        await using var db = await options.CreateDatabaseAsync("upsert");
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).UpAsync();
        await using var access = TeslaDbDatabase.Create(db.ConnectionString);
        await using var raw = new NpgsqlDataSourceBuilder(db.ConnectionString).Build();
        var vehicles = new VehicleRepository(access);
        var account = await new TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Bench");
        var rounds = options.Quick ? 5 : 30;

        // Two versions used in turn, so that every run really changes every row.
        List<JsonElement>[] fleets = [Build(1), Build(2)];
        var turn = 0;
        List<JsonElement> Next() => fleets[turn++ % 2];
        var results = await Measure.InterleavedAsync(
            warmups: 2,
            rounds,
            ("repository UpsertAsync", async () => await vehicles.UpsertAsync(account.Id, Next())),
            ("raw Npgsql, same statement", () => RawUpsertAsync(raw, account.Id, Next())),
            ("row by row (seed's Python)", () => RowByRowAsync(raw, account.Id, Next())),
            ("linq2db Merge API (MERGE)", () => MergeAsync(access, account.Id, Next())));

        var wal = await WalPerCommitAsync(db);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Batch upsert of {Fleet} vehicles (~2 KB jsonb each), {results[0].Samples} interleaved runs{options.QuickNote}");
        text.AppendLine();
        text.AppendLine("| variant | median ms | p95 ms | ratio to raw Npgsql | ratio to repository |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {Measure.Ms(r.MedianMs)} | {Measure.Ms(r.P95Ms)} | {Measure.Ratio(r.MedianMs / results[1].MedianMs)} | {Measure.Ratio(r.MedianMs / results[0].MedianMs)} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Server settings: fsync = {wal.Fsync}, synchronous_commit = {wal.SynchronousCommit}; a one-row INSERT in its own transaction (autocommit) costs a median {Measure.Ms(wal.CommitMs)} ms here.");
        return text.ToString();
    }

    private static List<JsonElement> Build(int generation)
    {
        var padding = new string('x', 900);
        return [.. Enumerable.Range(0, Fleet).Select(i => JsonDocument.Parse(
            $$"""{"id": {{1492932226450100L + i}}, "vehicle_id": {{999823797L + i}}, "vin": "5YJ3E1EA{{i % 10}}PF{{i:000000}}", "display_name": "Car {{i}}", "access_type": "OWNER", "state": "{{(generation % 2 == 0 ? "online" : "asleep")}}", "in_service": false, "api_version": 67, "generation": {{generation}}, "option_codes": "AD15,MDL3,PBSB,RENA,BT37,ID3W,RF3G,S3PB,DRLH,DV2W,W39B,APF0,COUS,BC3B,CH07,PC30,FC3P,FG31,GLFR,HL31,HM31,IL31,LTPB,MR31,FM3B,RS3H,SA3P,STCP,SC04,SU3C,T3CA,TW00,TM00,UT3P,WR00,AU3P,APH3,AF00,ZCST,MI00,CDM0", "vehicle_config": {"car_type": "model3", "trim_badging": "74d", "exterior_color": "MidnightSilver"}, "padding": "{{padding}}"}""").RootElement.Clone())];
    }

    private static async Task RawUpsertAsync(NpgsqlDataSource raw, Guid account, List<JsonElement> fleet)
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

    private static async Task RowByRowAsync(NpgsqlDataSource raw, Guid account, List<JsonElement> fleet)
    {
        // What the seed's Python sample does: one upsert (one round trip, one autocommit) per vehicle.
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

    private static async Task MergeAsync(TeslaDbDatabase access, Guid account, List<JsonElement> fleet)
    {
        // linq2db's generic upsert: MERGE with the rows inlined in a VALUES list, matched on the natural key.
        var rows = fleet.Select(v => new VehicleRow
        {
            TeslaAccountId = account,
            TeslaId = v.GetProperty("id").GetInt64(),
            TeslaVehicleId = v.GetProperty("vehicle_id").GetInt64(),
            Vin = v.GetProperty("vin").GetString()!,
            VehicleData = v.GetRawText(),
            DisplayName = v.GetProperty("display_name").GetString(),
            AccessType = v.GetProperty("access_type").GetString(),
            State = v.GetProperty("state").GetString(),
            InService = v.GetProperty("in_service").GetBoolean(),
            ApiVersion = v.GetProperty("api_version").GetInt32(),
        }).ToList();
        await using var connection = new DataConnection(access.Options);
        await connection.GetTable<VehicleRow>()
            .Merge()
            .Using(rows)
            .On((t, s) => t.TeslaAccountId == s.TeslaAccountId && t.TeslaId == s.TeslaId)
            .UpdateWhenMatched((t, s) => new VehicleRow
            {
                TeslaVehicleId = s.TeslaVehicleId,
                Vin = s.Vin,
                VehicleData = s.VehicleData,
                DisplayName = s.DisplayName,
                AccessType = s.AccessType,
                State = s.State,
                InService = s.InService,
                ApiVersion = s.ApiVersion,
                LastSyncedAt = Sql.CurrentTzTimestamp,
            })
            .InsertWhenNotMatched(s => new VehicleRow
            {
                TeslaAccountId = s.TeslaAccountId,
                TeslaId = s.TeslaId,
                TeslaVehicleId = s.TeslaVehicleId,
                Vin = s.Vin,
                VehicleData = s.VehicleData,
                DisplayName = s.DisplayName,
                AccessType = s.AccessType,
                State = s.State,
                InService = s.InService,
                ApiVersion = s.ApiVersion,
            })
            .MergeAsync();
    }

    private sealed record WalSettings(string Fsync, string SynchronousCommit, double CommitMs);

    private static async Task<WalSettings> WalPerCommitAsync(BenchDatabase db)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        async Task<string> Show(string name) => (string)(await new NpgsqlCommand($"SHOW {name}", connection).ExecuteScalarAsync())!;
        var fsync = await Show("fsync");
        var sync = await Show("synchronous_commit");
        // A real table (a temp table's commit writes no WAL), dropped afterwards.
        await new NpgsqlCommand("CREATE TABLE bench_commit_probe (n int)", connection).ExecuteNonQueryAsync();
        await using var real = new NpgsqlCommand("INSERT INTO bench_commit_probe VALUES (1)", connection);
        var samples = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await real.ExecuteNonQueryAsync();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        await new NpgsqlCommand("DROP TABLE bench_commit_probe", connection).ExecuteNonQueryAsync();
        samples.Sort();
        return new WalSettings(fsync, sync, samples[samples.Count / 2]);
    }
}
