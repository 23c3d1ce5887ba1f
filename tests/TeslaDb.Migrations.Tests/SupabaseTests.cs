using Npgsql;
using TeslaDb.Migrations.Tool;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// On Supabase (here: a database made to look like it) accounts hang off auth.users and row level security lets an
/// authenticated user reach only their own accounts, vehicles and cache, and no client reach tokens.
/// </summary>
public sealed class SupabaseTests(SupabaseDatabaseFixture fixture) : IClassFixture<SupabaseDatabaseFixture>
{
    private static readonly string[] Tables = ["tesla_accounts", "vehicles", "vehicle_data_cache"];
    private readonly TestDatabase _db = fixture.Database;

    private sealed record Owner(Guid User, Guid Account, Guid Vehicle);

    private async Task<Owner> SeedOwnerAsync(string email)
    {
        var user = await SupabaseLookalike.AddUserAsync(_db, email);
        var account = await _db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name, email) VALUES (@u, 'Compte principal', @e) RETURNING id", ("u", user), ("e", email));
        var vehicle = await _db.ScalarAsync<Guid>(
            "INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data, state) VALUES (@a, 1492932226450100, '5YJ3E1EA1PF000123', '{\"state\": \"online\"}', 'online') RETURNING id", ("a", account));
        await _db.ExecuteAsync(
            "INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at) VALUES (@a, @v, 'charge_state', '{\"battery_level\": 80}', now() + interval '5 minutes')",
            ("a", account), ("v", vehicle));
        await _db.ExecuteAsync(
            "INSERT INTO tokens (key, token_data, tesla_account_id) VALUES ('user_token:' || @u::text || ':' || @a::text, '{\"refresh_token\": \"EU_secret\"}', @a)",
            ("u", user), ("a", account));
        return new Owner(user, account, vehicle);
    }

    private Task<long> CountAsUserAsync(Guid user, string sql) =>
        SupabaseLookalike.AsUserAsync(_db, user, sql, async c => (long)(await c.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);

    [Fact]
    public async Task Detected_and_reported_by_status()
    {
        var status = await new TeslaDbMigrator(new MigratorOptions { ConnectionString = _db.ConnectionString }).GetStatusAsync(TestContext.Current.CancellationToken);

        Assert.True(status.Supabase);
        Assert.True(status.IsUpToDate);
        Assert.Equal(4L, await _db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class WHERE relrowsecurity AND oid IN ('public.tesla_accounts'::regclass, 'public.tokens'::regclass, 'public.vehicles'::regclass, 'public.vehicle_data_cache'::regclass)"));
        Assert.Equal("FOREIGN KEY (supabase_user_id) REFERENCES auth.users(id) ON DELETE CASCADE", await _db.ScalarAsync<string>(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'fk_tesla_accounts_supabase_user_id'"));
    }

    [Fact]
    public async Task A_user_sees_none_of_another_users_rows_through_any_table()
    {
        var a = await SeedOwnerAsync("a@example.com");
        var b = await SeedOwnerAsync("b@example.com");

        foreach (var table in Tables)
        {
            Assert.Equal(1L, await CountAsUserAsync(a.User, $"SELECT count(*) FROM {table}"));
            Assert.Equal(0L, await CountAsUserAsync(a.User, $"SELECT count(*) FROM {table} WHERE tesla_account_id = '{b.Account}'".Replace("tesla_account_id", table == "tesla_accounts" ? "id" : "tesla_account_id", StringComparison.Ordinal)));
            // Updates and deletes of someone else's rows touch nothing.
            Assert.Equal(0, await SupabaseLookalike.AsUserAsync(_db, a.User, $"DELETE FROM {table} WHERE {(table == "tesla_accounts" ? "id" : "tesla_account_id")} = '{b.Account}'", c => c.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE tesla_account_id = @b", ("b", b.Account)));
    }

    [Fact]
    public async Task A_user_cannot_write_rows_for_another_user()
    {
        var a = await SeedOwnerAsync("c@example.com");
        var b = await SeedOwnerAsync("d@example.com");

        var account = await Assert.ThrowsAsync<PostgresException>(() => SupabaseLookalike.AsUserAsync(_db, a.User,
            $"INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES ('{b.User}', 'hijack')", c => c.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)));
        // Own account, but someone else's vehicle: the cache policy checks the vehicle too.
        var cache = await Assert.ThrowsAsync<PostgresException>(() => SupabaseLookalike.AsUserAsync(_db, a.User,
            $"INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data) VALUES ('{a.Account}', '{b.Vehicle}', 'drive_state', '{{}}')", c => c.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)));
        var ownCache = await SupabaseLookalike.AsUserAsync(_db, a.User,
            $"INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data) VALUES ('{a.Account}', '{a.Vehicle}', 'drive_state', '{{}}')", c => c.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, account.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, cache.SqlState);
        Assert.Equal(1, ownCache);
    }

    [Theory]
    [InlineData("authenticated")]
    [InlineData("anon")]
    public async Task No_client_role_reads_tokens(string role)
    {
        var a = await SeedOwnerAsync($"tokens-{role}@example.com");

        var error = await Assert.ThrowsAsync<PostgresException>(() => SupabaseLookalike.AsUserAsync(_db, a.User,
            "SELECT count(*) FROM tokens", c => c.ExecuteScalarAsync(TestContext.Current.CancellationToken), role));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal(1L, await SupabaseLookalike.AsUserAsync(_db, null, "SELECT count(*) FROM tokens WHERE tesla_account_id = '" + a.Account + "'",
            async c => (long)(await c.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, "service_role"));
    }

    [Fact]
    public async Task Anon_sees_no_accounts_and_only_service_role_may_run_the_cleanup()
    {
        await SeedOwnerAsync("anon-check@example.com");

        Assert.Equal(0L, await SupabaseLookalike.AsUserAsync(_db, null, "SELECT count(*) FROM tesla_accounts", async c => (long)(await c.ExecuteScalarAsync(TestContext.Current.CancellationToken))!, "anon"));
        foreach (var role in new[] { "anon", "authenticated" })
        {
            var denied = await Assert.ThrowsAsync<PostgresException>(() => SupabaseLookalike.AsUserAsync(_db, Guid.NewGuid(),
                "SELECT cleanup_expired_cache()", c => c.ExecuteScalarAsync(TestContext.Current.CancellationToken), role));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }

        Assert.IsType<int>(await SupabaseLookalike.AsUserAsync(_db, null, "SELECT cleanup_expired_cache()", c => c.ExecuteScalarAsync(TestContext.Current.CancellationToken), "service_role"));
    }

    [Fact]
    public async Task Deleting_a_user_deletes_their_accounts_vehicles_cache_and_tokens()
    {
        var a = await SeedOwnerAsync("leaving@example.com");

        await _db.ExecuteAsync("DELETE FROM auth.users WHERE id = @u", ("u", a.User));

        foreach (var table in new[] { "vehicles", "vehicle_data_cache", "tokens" })
        {
            Assert.Equal(0L, await _db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE tesla_account_id = @a", ("a", a.Account)));
        }

        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM tesla_accounts WHERE id = @a", ("a", a.Account)));
    }
}
