using Npgsql;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// cleanup_expired_cache() never waits for a row a writer holds (it skips it), so it cannot deadlock with writers;
/// it keeps its signature, its pinned search_path and its count.
/// </summary>
public sealed class CleanupSkipsLockedRowsTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private readonly TestDatabase _db = fixture.Database;

    /// <summary>A vehicle with <paramref name="expired"/> expired and two fresh cache rows; returns the expired ids.</summary>
    private async Task<(Guid Vehicle, Guid[] Expired)> SeedAsync(int expired)
    {
        // The class shares one database and the cleanup counts every expired row in it: start from an empty cache
        // (the tests of a class run one after the other).
        await _db.ExecuteAsync("DELETE FROM vehicle_data_cache");
        var account = await _db.ScalarAsync<Guid>(
            "INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'locks') RETURNING id");
        var vehicle = await _db.ScalarAsync<Guid>(
            "INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data) VALUES (@a, (random() * 1e15)::bigint, '5YJ3E1EA1PF000777', '{}') RETURNING id",
            ("a", account));
        var ids = await _db.ScalarAsync<Guid[]>(
            """
            WITH e AS (
                INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at)
                SELECT @a, @v, 'expired_' || g, '{}', now() - interval '1 hour' FROM generate_series(1, @n) g
                RETURNING id, endpoint_name)
            SELECT array_agg(id ORDER BY endpoint_name) FROM e
            """,
            ("a", account), ("v", vehicle), ("n", expired));
        await _db.ExecuteAsync(
            "INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at) VALUES (@a, @v, 'fresh', '{}', now() + interval '1 hour'), (@a, @v, 'forever', '{}', NULL)",
            ("a", account), ("v", vehicle));
        return (vehicle, ids);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = await _db.OpenAsync(TestContext.Current.CancellationToken);
        // Should the cleanup ever wait for a row lock again, it fails here instead of hanging the test.
        await using var command = new NpgsqlCommand("SET lock_timeout = '30s'", connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_row_locked_by_another_transaction_is_skipped_without_waiting()
    {
        var (vehicle, expired) = await SeedAsync(5);
        await using var writer = await OpenAsync();
        await using var writing = await writer.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await ScalarAsync(writer, "SELECT 1 FROM vehicle_data_cache WHERE id = @id FOR UPDATE", ("id", expired[0]));

        await using var cleaner = await OpenAsync();
        var deleted = (int)(await ScalarAsync(cleaner, "SELECT cleanup_expired_cache()"))!;

        // Returned while the writer still holds its row: the other four expired rows went, the held one stayed.
        Assert.Equal(4, deleted);
        var left = (string[])(await ScalarAsync(cleaner, "SELECT array_agg(endpoint_name ORDER BY endpoint_name COLLATE \"C\") FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicle)))!;
        Assert.Equal(["expired_1", "forever", "fresh"], left);
        await writing.RollbackAsync(TestContext.Current.CancellationToken);

        // The next run takes it.
        Assert.Equal(1, (int)(await ScalarAsync(cleaner, "SELECT cleanup_expired_cache()"))!);
    }

    [Fact]
    public async Task A_writer_updating_rows_during_a_cleanup_never_deadlocks_with_it()
    {
        // The deadlock a plain DELETE had: a writer holds expired row B, the cleanup deletes expired row A, the writer
        // then wants A while the cleanup wants B. The cleanup must skip B, so the writer's wait for A ends when the
        // cleanup commits.
        var (_, expired) = await SeedAsync(3);
        var (a, b) = (expired[0], expired[1]);
        await using var writer = await OpenAsync();
        await using var writing = await writer.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await ScalarAsync(writer, "UPDATE vehicle_data_cache SET response_data = '{\"v\": 2}' WHERE id = @id", ("id", b));

        await using var cleaner = await OpenAsync();
        await using var cleaning = await cleaner.BeginTransactionAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, (int)(await ScalarAsync(cleaner, "SELECT cleanup_expired_cache()"))!);

        var writerPid = writer.ProcessID;
        await using var update = new NpgsqlCommand("UPDATE vehicle_data_cache SET response_data = '{\"v\": 3}' WHERE id = @id", writer);
        update.Parameters.AddWithValue("id", a);
        var blocked = update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await using (var watcher = await _db.OpenAsync(TestContext.Current.CancellationToken))
        {
            // Wait for the condition itself: the writer queued behind the cleanup's transaction.
            while ((bool)(await ScalarAsync(watcher, "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @p AND wait_event_type = 'Lock')", ("p", writerPid)))!)
            {
                Assert.False(blocked.IsCompleted, "the writer's update did not wait for the cleanup's transaction");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }
        }

        await cleaning.CommitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await blocked); // A is gone: nothing to update, and no 40P01.
        await writing.CommitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE id = @b", ("b", b)));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE id = @a", ("a", a)));
    }

    [Fact]
    public async Task Keeps_its_signature_and_deletes_by_ctid_with_skip_locked()
    {
        var definition = await _db.ScalarAsync<string>("SELECT pg_get_functiondef('public.cleanup_expired_cache()'::regprocedure)");
        var result = await _db.ScalarAsync<string>("SELECT pg_get_function_result('public.cleanup_expired_cache()'::regprocedure)");

        Assert.Equal("integer", result);
        Assert.Contains("WHERE ctid = ANY", definition, StringComparison.Ordinal);
        Assert.Contains("FOR UPDATE SKIP LOCKED", definition, StringComparison.Ordinal);
        Assert.Contains("SET search_path TO ''", definition, StringComparison.Ordinal);
    }
}
