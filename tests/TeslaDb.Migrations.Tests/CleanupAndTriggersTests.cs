using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>cleanup_expired_cache() deletes expired cache rows only; updated_at is kept current by the database.</summary>
public sealed class CleanupAndTriggersTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private readonly TestDatabase _db = fixture.Database;

    private async Task<(Guid Account, Guid Vehicle)> SeedVehicleAsync()
    {
        var account = await _db.ScalarAsync<Guid>(
            "INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'cleanup') RETURNING id");
        var vehicle = await _db.ScalarAsync<Guid>(
            "INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data) VALUES (@a, 1492932226450100, '5YJ3E1EA1PF000123', '{}') RETURNING id",
            ("a", account));
        return (account, vehicle);
    }

    [Fact]
    public async Task Deletes_expired_rows_only_and_returns_how_many()
    {
        var (account, vehicle) = await SeedVehicleAsync();
        await _db.ExecuteAsync(
            """
            INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at) VALUES
              (@a, @v, 'charge_state',  '{"battery_level": 80}', now() - interval '1 hour'),
              (@a, @v, 'climate_state', '{"inside_temp": 21.5}', now() - interval '1 second'),
              (@a, @v, 'drive_state',   '{"speed": null}',       now() + interval '5 minutes'),
              (@a, @v, 'gui_settings',  '{"gui_distance_units": "km/hr"}', NULL)
            """,
            ("a", account), ("v", vehicle));
        await _db.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, expires_at, tesla_account_id) VALUES ('user_token:cleanup', '{\"refresh_token\": \"r\"}', now() - interval '1 day', @a)",
            ("a", account));

        var deleted = await _db.ScalarAsync<int>("SELECT cleanup_expired_cache()");

        Assert.Equal(2, deleted);
        var left = await _db.ScalarAsync<string[]>(
            "SELECT array_agg(endpoint_name ORDER BY endpoint_name) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicle));
        Assert.Equal(["drive_state", "gui_settings"], left);
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE key = 'user_token:cleanup'"));
        Assert.Equal(0, await _db.ScalarAsync<int>("SELECT cleanup_expired_cache()"));
    }

    [Fact]
    public async Task Function_pins_its_search_path_and_ignores_the_callers()
    {
        var config = await _db.ScalarAsync<string[]>(
            "SELECT proconfig FROM pg_proc WHERE oid = 'public.cleanup_expired_cache()'::regprocedure");
        Assert.Equal(["search_path=\"\""], config);

        // A caller whose search_path finds another vehicle_data_cache first still cleans the real one.
        var (account, vehicle) = await SeedVehicleAsync();
        await _db.ExecuteAsync(
            "INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at) VALUES (@a, @v, 'vehicle_state', '{}', now() - interval '1 minute')",
            ("a", account), ("v", vehicle));
        await using var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            """
            CREATE SCHEMA decoy;
            CREATE TABLE decoy.vehicle_data_cache (expires_at timestamptz);
            SET search_path = decoy, public;
            SELECT public.cleanup_expired_cache();
            """,
            connection);
        Assert.Equal(1, (int)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Theory]
    [InlineData("tesla_accounts", "account_name = 'renamed'")]
    [InlineData("tokens", "token_data = '{\"v\": 2}'")]
    [InlineData("vehicles", "display_name = 'renamed'")]
    [InlineData("vehicle_data_cache", "response_data = '{\"v\": 2}'")]
    public async Task Updated_at_is_set_by_the_database_on_update(string table, string change)
    {
        var (account, vehicle) = await SeedVehicleAsync();
        await _db.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, tesla_account_id) VALUES ('user_token:' || @a::text, '{}', @a)", ("a", account));
        await _db.ExecuteAsync(
            "INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data) VALUES (@a, @v, 'charge_state', '{}')",
            ("a", account), ("v", vehicle));
        var where = table switch
        {
            "tesla_accounts" => "id = @a",
            "tokens" => "tesla_account_id = @a",
            "vehicles" => "id = @v",
            _ => "vehicle_id = @v",
        };
        // An old updated_at, written by a client that sets it by hand…
        await _db.ExecuteAsync($"ALTER TABLE {table} DISABLE TRIGGER trg_{table}_updated_at; UPDATE {table} SET updated_at = '2000-01-01Z' WHERE {where}; ALTER TABLE {table} ENABLE TRIGGER trg_{table}_updated_at", ("a", account), ("v", vehicle));

        // …is brought up to date by any later update that does not mention it.
        await _db.ExecuteAsync($"UPDATE {table} SET {change} WHERE {where}", ("a", account), ("v", vehicle));

        var age = await _db.ScalarAsync<double>($"SELECT extract(epoch FROM now() - updated_at)::float8 FROM {table} WHERE {where}", ("a", account), ("v", vehicle));
        Assert.InRange(age, 0, 60);
    }
}
