using Npgsql;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// The batched cleanup: cleanup_expired_cache(batch_size) deletes at most that many expired rows;
/// CALL cleanup_expired_cache_in_batches(batch_size) repeats it, one transaction per batch, and returns the total.
/// </summary>
public sealed class BatchedCleanupTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private readonly TestDatabase _db = fixture.Database;

    private async Task<Guid> SeedAsync(int expired, string tag)
    {
        var account = await _db.ScalarAsync<Guid>(
            "INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), @t) RETURNING id", ("t", tag));
        var vehicle = await _db.ScalarAsync<Guid>(
            "INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data) VALUES (@a, (random() * 1e15)::bigint, '5YJ3E1EA1PF000888', '{}') RETURNING id",
            ("a", account));
        await _db.ExecuteAsync(
            """
            INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
            SELECT @a, @v, 'expired_' || g, '{}'::jsonb, now() - g * interval '1 minute' FROM generate_series(1, @n) g
            UNION ALL SELECT @a, @v, 'fresh', '{}', now() + interval '1 hour'
            UNION ALL SELECT @a, @v, 'forever', '{}', NULL
            """,
            ("a", account), ("v", vehicle), ("n", expired));
        await _db.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, expires_at, tesla_account_id) VALUES ('user_token:' || @t, '{}', now() - interval '1 day', @a)",
            ("t", tag), ("a", account));
        return vehicle;
    }

    private Task<long> ExpiredLeftAsync() =>
        _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE expires_at <= now()");

    [Fact]
    public async Task One_batch_deletes_at_most_batch_size_rows_oldest_first()
    {
        await _db.ExecuteAsync("DELETE FROM vehicle_data_cache");
        var vehicle = await SeedAsync(10, "one-batch");

        Assert.Equal(3, await _db.ScalarAsync<int>("SELECT cleanup_expired_cache(3)"));

        Assert.Equal(7L, await ExpiredLeftAsync());
        // expired_8..10 expired longest ago.
        var gone = await _db.ScalarAsync<long>(
            "SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name IN ('expired_8', 'expired_9', 'expired_10')", ("v", vehicle));
        Assert.Equal(0L, gone);
    }

    [Fact]
    public async Task The_procedure_deletes_every_expired_row_in_batches_and_returns_the_total()
    {
        await _db.ExecuteAsync("DELETE FROM vehicle_data_cache");
        var vehicle = await SeedAsync(10, "procedure");

        // CALL outside a transaction block, as pg_cron and psql run it (COMMIT needs that); 10 rows in batches of 3.
        var total = await _db.ScalarAsync<long>("CALL cleanup_expired_cache_in_batches(3)");

        Assert.Equal(10L, total);
        Assert.Equal(0L, await ExpiredLeftAsync());
        Assert.Equal(2L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicle)));
        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM tokens WHERE key = 'user_token:procedure'"));
        Assert.Equal(0L, await _db.ScalarAsync<long>("CALL cleanup_expired_cache_in_batches()"));
    }

    [Fact]
    public async Task The_procedure_skips_a_row_a_writer_holds_and_does_not_wait()
    {
        await _db.ExecuteAsync("DELETE FROM vehicle_data_cache");
        var vehicle = await SeedAsync(6, "held");
        await using var writer = await _db.OpenAsync(TestContext.Current.CancellationToken);
        await using var writing = await writer.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name = 'expired_6' FOR UPDATE", writer))
        {
            hold.Parameters.AddWithValue("v", vehicle);
            await hold.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var cleaner = await _db.OpenAsync(TestContext.Current.CancellationToken);
        await using var call = new NpgsqlCommand("SET lock_timeout = '30s'; CALL cleanup_expired_cache_in_batches(2)", cleaner);
        var total = (long)(await call.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(5L, total);
        await writing.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1L, await ExpiredLeftAsync());
    }

    [Fact]
    public async Task A_batch_size_below_one_is_refused()
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => _db.ScalarAsync<int>("SELECT cleanup_expired_cache(0)"));

        Assert.Equal("22023", error.SqlState);
        Assert.Contains("batch_size must be at least 1", error.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_seeds_unbatched_call_still_resolves_to_the_zero_argument_function()
    {
        await _db.ExecuteAsync("DELETE FROM vehicle_data_cache");
        await SeedAsync(4, "seed-call");

        Assert.Equal(4, await _db.ScalarAsync<int>("SELECT cleanup_expired_cache()"));
    }

    [Fact]
    public async Task Schedule_cleanup_refuses_a_batch_size_below_one()
    {
        var result = await CliRun.InProcessAsync(["schedule-cleanup", "--every", "15m", "--batch-size", "0", "-c", _db.ConnectionString]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--batch-size 0 is not a number of rows", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_supabase_only_service_role_may_run_the_batched_forms()
    {
        await using var supabase = await TestDatabase.CreateAsync();
        await SupabaseLookalike.InstallAsync(supabase);
        await new Runner.TeslaDbMigrator(new Runner.MigratorOptions { ConnectionString = supabase.ConnectionString })
            .UpAsync(cancellationToken: TestContext.Current.CancellationToken);

        var rights = await supabase.ScalarAsync<string[]>(
            """
            SELECT array_agg(r.rolname || ' ' || has_function_privilege(r.rolname, f.sig, 'EXECUTE') ORDER BY f.sig, r.rolname)
              FROM (VALUES ('public.cleanup_expired_cache(integer)'), ('public.cleanup_expired_cache_in_batches(integer,bigint)')) f(sig)
             CROSS JOIN (VALUES ('anon'), ('authenticated'), ('service_role')) r(rolname)
            """);

        Assert.Equal(
            ["anon false", "authenticated false", "service_role true", "anon false", "authenticated false", "service_role true"],
            rights);
    }
}
