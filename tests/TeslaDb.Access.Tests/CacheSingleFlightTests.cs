using System.Text.Json;
using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>One fetch per miss: concurrent callers of one (vehicle, endpoint) share one fetch, in one process and across
/// instances (separate data sources on one database); a waiter is bounded by the hard timeout and never fetches.</summary>
public sealed class CacheSingleFlightTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hundred_concurrent_cold_reads_in_one_process_make_one_fetch_and_share_its_result()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await using var instance = Instance(new TeslaCacheOptions());
        var cache = new VehicleCacheRepository(instance);
        var fetches = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<JsonElement> Fetch(CancellationToken ct)
        {
            var n = Interlocked.Increment(ref fetches);
            await release.Task.WaitAsync(ct);
            return TeslaSamples.ChargeState(40 + n);
        }

        var readers = Enumerable.Range(0, 100)
            .Select(_ => Task.Run(() => cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), Fetch, Ct), Ct))
            .ToArray();
        await WaitUntilAsync(() => Volatile.Read(ref fetches) > 0);
        release.SetResult();
        var results = await Task.WhenAll(readers);

        Assert.Equal(1, fetches);
        Assert.All(results, r => Assert.Equal(41, r.Value.GetProperty("battery_level").GetInt32()));
        Assert.All(results, r => Assert.False(r.IsStale));
    }

    [Fact]
    public async Task Hundred_concurrent_cold_reads_over_four_instances_make_one_fetch()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(new TeslaCacheOptions())).ToArray();
        try
        {
            var fetches = 0;
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task<JsonElement> Fetch(CancellationToken ct)
            {
                var n = Interlocked.Increment(ref fetches);
                await release.Task.WaitAsync(ct);
                return TeslaSamples.ChargeState(70 + n);
            }

            var readers = instances
                .SelectMany(i => Enumerable.Range(0, 25).Select(_ => Task.Run(() => new VehicleCacheRepository(i).GetOrFetchAsync(new CacheRequest(account, vehicles[0], "drive_state"), Fetch, Ct), Ct)))
                .ToArray();
            // The three other instances' fetches wait on the advisory lock while the first one fetches.
            await WaitUntilAsync(async () => Volatile.Read(ref fetches) == 1 && await WaitingAdvisoryLocksAsync() == 3);
            release.SetResult();
            var results = await Task.WhenAll(readers);

            Assert.Equal(1, fetches);
            Assert.All(results, r => Assert.Equal(71, r.Value.GetProperty("battery_level").GetInt32()));
            Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name = 'drive_state'", ("v", vehicles[0])));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Across_instances_through_pgbouncer_in_transaction_mode_it_is_still_one_fetch()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await using var bouncer = await PgBouncer.StartAsync(fixture.Database, "transaction");
        // The lock is transaction-scoped: it holds although each transaction may run on another server connection.
        var viaPooler = new NpgsqlConnectionStringBuilder(bouncer.ConnectionString) { Pooling = true, MaxPoolSize = 4, MaxAutoPrepare = 0 }.ConnectionString;
        await using var first = TeslaDbDatabase.Create(viaPooler, new TeslaCacheOptions());
        await using var second = TeslaDbDatabase.Create(viaPooler, new TeslaCacheOptions());
        var fetches = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<JsonElement> Fetch(CancellationToken ct)
        {
            var n = Interlocked.Increment(ref fetches);
            await release.Task.WaitAsync(ct);
            return TeslaSamples.ChargeState(10 + n);
        }

        var readers = new[] { first, second }
            .SelectMany(i => Enumerable.Range(0, 10).Select(_ => Task.Run(() => new VehicleCacheRepository(i).GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), Fetch, Ct), Ct)))
            .ToArray();
        await WaitUntilAsync(async () => Volatile.Read(ref fetches) == 1 && await WaitingAdvisoryLocksAsync() == 1);
        release.SetResult();
        var results = await Task.WhenAll(readers);

        Assert.Equal(1, fetches);
        Assert.All(results, r => Assert.Equal(11, r.Value.GetProperty("battery_level").GetInt32()));
    }

    [Fact]
    public async Task A_waiter_in_another_instance_gives_up_at_its_hard_timeout_without_fetching()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await using var slow = Instance(new TeslaCacheOptions());
        await using var impatient = Instance(new TeslaCacheOptions { SoftTimeout = TimeSpan.FromMilliseconds(100), HardTimeout = TimeSpan.FromMilliseconds(300) });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new CacheRequest(account, vehicles[0], "climate_state");
        var leader = new VehicleCacheRepository(slow).GetOrFetchAsync(request, async ct =>
        {
            started.SetResult();
            await release.Task.WaitAsync(ct);
            return TeslaSamples.Parse("""{"inside_temp": 21.5}""");
        }, Ct);
        await started.Task.WaitAsync(Ct);
        var impatientFetches = 0;

        var error = await Assert.ThrowsAsync<TimeoutException>(() => new VehicleCacheRepository(impatient).GetOrFetchAsync(request, _ =>
        {
            Interlocked.Increment(ref impatientFetches);
            return Task.FromResult(TeslaSamples.Parse("{}"));
        }, Ct));
        release.SetResult();

        Assert.Equal(0, impatientFetches);
        Assert.Contains("hard timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(21.5, (await leader).Value.GetProperty("inside_temp").GetDouble());
    }

    [Fact]
    public async Task Waiters_of_a_failing_fetch_get_its_error_and_never_fetch_themselves()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        const string endpoint = "single_flight_failure_probe";
        using var measurements = new CacheMeasurements(endpoint);
        await using var instance = Instance(new TeslaCacheOptions());
        var cache = new VehicleCacheRepository(instance);
        var fetches = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<JsonElement> Fetch(CancellationToken ct)
        {
            Interlocked.Increment(ref fetches);
            await release.Task.WaitAsync(ct);
            throw new HttpRequestException("Tesla answered 503");
        }

        var readers = Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], endpoint), Fetch, Ct), Ct))
            .ToArray();
        // Every caller is waiting for the one fetch before it fails.
        await WaitUntilAsync(() => measurements.Count("tesladb.cache.coalesced_waits") == 19 && Volatile.Read(ref fetches) == 1);
        release.SetResult();

        foreach (var reader in readers)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => reader);
        }

        Assert.Equal(1, fetches);
        Assert.Equal(1, measurements["tesladb.cache.fetch_errors"]);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicles[0])));
    }

    private TeslaDbDatabase Instance(TeslaCacheOptions options) => CacheTestInstances.Create(fixture, options);

    private async Task<long> WaitingAdvisoryLocksAsync() =>
        await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    private static Task WaitUntilAsync(Func<bool> condition) => CacheTestInstances.WaitUntilAsync(condition);

    private static Task WaitUntilAsync(Func<Task<bool>> condition) => CacheTestInstances.WaitUntilAsync(condition);
}
