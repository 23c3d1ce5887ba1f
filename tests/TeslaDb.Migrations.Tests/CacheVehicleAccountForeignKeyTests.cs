using TeslaDb.Migrations.Tool;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.Schema;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A cache row's account must be its vehicle's: the composite foreign key is added NOT VALID, then validated; a
/// database holding rows that break it stops before validating, saying how many and how to list them.
/// </summary>
public sealed class CacheVehicleAccountForeignKeyTests
{
    private const long BeforeForeignKey = 202612021010;

    private static TeslaDbMigrator Migrator(TestDatabase db) => new(new MigratorOptions { ConnectionString = db.ConnectionString });

    /// <summary>Two accounts, a vehicle of the first, and a cache row of that vehicle naming <paramref name="cacheAccountIsOther"/>'s account.</summary>
    private static async Task<Guid> SeedAsync(TestDatabase db, bool cacheAccountIsOther)
    {
        var owner = await db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'owner') RETURNING id");
        var other = await db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'other') RETURNING id");
        var vehicle = await db.ScalarAsync<Guid>(
            "INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data) VALUES (@a, 1492932226450100, '5YJ3E1EA1PF000123', '{}') RETURNING id", ("a", owner));
        await db.ExecuteAsync(
            "INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data) VALUES (@a, @v, 'charge_state', '{}'), (@o, @v, 'climate_state', '{}')",
            ("a", owner), ("v", vehicle), ("o", cacheAccountIsOther ? other : owner));
        return other;
    }

    private static Task<string?> ConstraintAsync(TestDatabase db) => db.ScalarAsync<string?>(
        "SELECT CASE WHEN convalidated THEN 'valid' ELSE 'not valid' END FROM pg_constraint WHERE conname = @n",
        ("n", AddCacheVehicleAccountForeignKey.ConstraintName));

    [Fact]
    public async Task Clean_data_migrates_and_the_key_is_validated_and_enforced()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Migrator(db).UpAsync(BeforeForeignKey, cancellationToken: TestContext.Current.CancellationToken);
        var other = await SeedAsync(db, cacheAccountIsOther: false);

        var result = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("valid", await ConstraintAsync(db));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache"));
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT indisunique AND indisvalid FROM pg_index WHERE indexrelid = 'public.uq_vehicles_id_account'::regclass"));
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(
            "UPDATE vehicle_data_cache SET tesla_account_id = @o WHERE endpoint_name = 'charge_state'", ("o", other)));
        Assert.Equal("23503", error.SqlState);
    }

    [Fact]
    public async Task A_mismatched_row_stops_up_before_validating_with_the_count_and_the_query_then_up_completes_once_fixed()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Migrator(db).UpAsync(BeforeForeignKey, cancellationToken: TestContext.Current.CancellationToken);
        await SeedAsync(db, cacheAccountIsOther: true);

        var stopped = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.MigrationFailed, stopped.ExitCode);
        var line = Assert.Single(stopped.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("1 vehicle_data_cache row(s) belong to another account than their vehicle", line, StringComparison.Ordinal);
        Assert.Contains(ValidateCacheVehicleAccountForeignKey.ListMismatchesSql, line, StringComparison.Ordinal);
        // Stopped before validating: the key exists NOT VALID (new rows are already checked), the row is untouched.
        Assert.Equal("not valid", await ConstraintAsync(db));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache"));
        var status = await Migrator(db).GetStatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal(202612021030, status.CurrentVersion);

        // The printed query finds the row; fixing it lets up complete.
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM ({ValidateCacheVehicleAccountForeignKey.ListMismatchesSql}) m"));
        await db.ExecuteAsync("UPDATE vehicle_data_cache c SET tesla_account_id = v.tesla_account_id FROM vehicles v WHERE v.id = c.vehicle_id");
        var resumed = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal("valid", await ConstraintAsync(db));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache"));
    }

    [Fact]
    public async Task Down_removes_the_key_and_the_index_and_keeps_every_row()
    {
        await using var db = await TestDatabase.CreateAsync();
        await Migrator(db).UpAsync(BeforeForeignKey, cancellationToken: TestContext.Current.CancellationToken);
        await SeedAsync(db, cacheAccountIsOther: false);
        await Migrator(db).UpAsync(cancellationToken: TestContext.Current.CancellationToken);

        await Migrator(db).DownAsync(BeforeForeignKey, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(await ConstraintAsync(db));
        Assert.Null(await db.ScalarAsync<string?>("SELECT to_regclass('public.uq_vehicles_id_account')::text"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM vehicles"));
    }
}
