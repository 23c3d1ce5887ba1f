using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// A batch whose connection is killed mid-way (<c>pg_terminate_backend</c>, as a failover, an OOM kill or an
/// operator does) leaves nothing of itself behind, and the repository works again on the next call.
/// "Mid-way" is made certain: another session holds a row lock on the row the batch reaches last (batches write
/// their rows in key order), so the batch has written every other row when it is killed.
/// </summary>
public sealed class KilledConnectionTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const int Known = 100;
    private readonly TestDatabase _db = fixture.Database;

    [Fact]
    public async Task A_vehicle_batch_killed_mid_way_writes_nothing_and_the_next_batch_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var account = await fixture.Accounts.CreateAsync(Guid.NewGuid(), "Killed vehicles", cancellationToken: ct);
        var known = Enumerable.Range(0, Known).Select(i => (TeslaId: TeslaSamples.TeslaId(i), Vin: TeslaSamples.Vin(i))).ToList();
        await fixture.Vehicles.UpsertAsync(account.Id, known.Select(v => TeslaSamples.Vehicle(v.TeslaId, v.Vin, "asleep", "first")), ct);
        // New vehicles whose Tesla ids fall between the known ones: inserted before the batch reaches the last row.
        var added = Enumerable.Range(0, 20).Select(i => (TeslaId: TeslaSamples.TeslaId(i) + 1, Vin: TeslaSamples.Vin(Known + i))).ToList();
        var batch = known.Concat(added).Select(v => TeslaSamples.Vehicle(v.TeslaId, v.Vin, "online", "second")).ToList();

        await using var blocker = await _db.OpenAsync(ct);
        await using var transaction = await blocker.BeginTransactionAsync(ct);
        await using (var lockLast = new NpgsqlCommand("SELECT 1 FROM vehicles WHERE tesla_account_id = @a AND tesla_id = @t FOR UPDATE", blocker, transaction))
        {
            lockLast.Parameters.AddWithValue("a", account.Id);
            lockLast.Parameters.AddWithValue("t", known[^1].TeslaId);
            Assert.Equal(1, await lockLast.ExecuteScalarAsync(ct));
        }

        var upsert = fixture.Vehicles.UpsertAsync(account.Id, batch, ct);
        var pid = await WaitForBlockedBackendAsync("%INSERT INTO public.vehicles%");
        Assert.True(await _db.ScalarAsync<bool>("SELECT pg_terminate_backend(@pid)", ("pid", pid)));

        // The caller gets the server's reason (57P01 admin_shutdown), not a hang or a half-success.
        Assert.Equal(PostgresErrorCodes.AdminShutdown, (await Assert.ThrowsAsync<PostgresException>(() => upsert)).SqlState);
        await transaction.RollbackAsync(ct);

        Assert.Equal((long)Known, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a", ("a", account.Id)));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a AND (display_name <> 'first' OR state <> 'asleep')", ("a", account.Id)));

        // The pool dropped the dead connection: the same repository writes the whole batch on the next call.
        var ids = await fixture.Vehicles.UpsertAsync(account.Id, batch, ct);
        Assert.Equal(Known + added.Count, ids.Count);
        Assert.Equal((long)(Known + added.Count), await _db.ScalarAsync<long>("SELECT count(*) FROM vehicles WHERE tesla_account_id = @a AND display_name = 'second' AND state = 'online'", ("a", account.Id)));
    }

    [Fact]
    public async Task A_cache_batch_killed_mid_way_writes_nothing_and_the_next_batch_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var (account, vehicles) = await fixture.SeedAsync();
        var vehicle = vehicles[0];
        // Endpoints e00…e49 stored, e99 stored and then locked; e50…e59 new: in key order the batch updates e00…e49,
        // inserts e50…e59, then waits for e99.
        string[] stored = [.. Enumerable.Range(0, 50).Select(i => $"e{i:00}"), "e99"];
        string[] added = [.. Enumerable.Range(50, 10).Select(i => $"e{i:00}")];
        await fixture.Cache.StoreManyAsync(stored.Select(e => new CacheWrite(account, vehicle, e, TeslaSamples.ChargeState(10), TimeSpan.FromHours(1))), ct);
        var batch = stored.Concat(added).Select(e => new CacheWrite(account, vehicle, e, TeslaSamples.ChargeState(90), TimeSpan.FromHours(1))).ToList();

        await using var blocker = await _db.OpenAsync(ct);
        await using var transaction = await blocker.BeginTransactionAsync(ct);
        await using (var lockLast = new NpgsqlCommand("SELECT 1 FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name = 'e99' FOR UPDATE", blocker, transaction))
        {
            lockLast.Parameters.AddWithValue("v", vehicle);
            Assert.Equal(1, await lockLast.ExecuteScalarAsync(ct));
        }

        var store = fixture.Cache.StoreManyAsync(batch, ct);
        var pid = await WaitForBlockedBackendAsync("%INSERT INTO public.vehicle_data_cache%");
        Assert.True(await _db.ScalarAsync<bool>("SELECT pg_terminate_backend(@pid)", ("pid", pid)));

        Assert.Equal(PostgresErrorCodes.AdminShutdown, (await Assert.ThrowsAsync<PostgresException>(() => store)).SqlState);
        await transaction.RollbackAsync(ct);

        Assert.Equal((long)stored.Length, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicle)));
        Assert.Equal(0L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v AND (response_data ->> 'battery_level')::int <> 10", ("v", vehicle)));

        await fixture.Cache.StoreManyAsync(batch, ct);
        Assert.Equal((long)batch.Count, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v AND (response_data ->> 'battery_level')::int = 90", ("v", vehicle)));
    }

    /// <summary>The backend of this database running <paramref name="queryLike"/> and waiting for a lock.</summary>
    private async Task<int> WaitForBlockedBackendAsync(string queryLike)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var pid = await _db.ScalarAsync(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE @q",
                ("q", queryLike));
            if (pid is int found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "the batch never reached the locked row");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
