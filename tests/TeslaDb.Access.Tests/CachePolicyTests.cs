using TeslaDb.Access.Cache;
using static TeslaDb.Access.Tests.CacheTestInstances;

namespace TeslaDb.Access.Tests;

/// <summary>Per-endpoint policies: TTLs that fit Tesla's data, the seed's explicit TTL, and sleeping cars left asleep.</summary>
public sealed class CachePolicyTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_endpoint_is_stored_with_its_policy_ttl_and_an_explicit_ttl_wins()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        var options = new TeslaCacheOptions();
        options.Endpoints["closures_state"] = new EndpointCacheOptions { Ttl = TimeSpan.FromMinutes(7) };
        await using var instance = Create(fixture, options);
        var cache = new VehicleCacheRepository(instance);
        var payload = TeslaSamples.Parse("""{"x": 1}""");

        await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "vehicle_config"), _ => Task.FromResult(payload), Ct);
        await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), _ => Task.FromResult(payload), Ct);
        await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "closures_state"), _ => Task.FromResult(payload), Ct);
        await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "some_new_endpoint"), _ => Task.FromResult(payload), Ct);
        await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "drive_state", TimeSpan.FromSeconds(90)), _ => Task.FromResult(payload), Ct);
        await cache.GetOrFetchAsync(account, vehicles[0], "gui_settings", TimeSpan.FromMinutes(3), _ => Task.FromResult(payload), Ct);
        await cache.GetOrFetchAsync(account, vehicles[0], "vehicle_state", null, _ => Task.FromResult(payload), Ct);

        Task<double?> TtlSeconds(string endpoint) => fixture.Database.ScalarAsync<double?>(
            "SELECT extract(epoch FROM expires_at - last_fetched_at)::float8 FROM vehicle_data_cache WHERE vehicle_id = @v AND endpoint_name = @e",
            ("v", vehicles[0]), ("e", endpoint));
        Assert.Equal(86_400, await TtlSeconds("vehicle_config"));
        Assert.Equal(60, await TtlSeconds("charge_state"));
        Assert.Equal(420, await TtlSeconds("closures_state"));
        Assert.Equal(300, await TtlSeconds("some_new_endpoint"));
        Assert.Equal(90, await TtlSeconds("drive_state"));
        Assert.Equal(180, await TtlSeconds("gui_settings"));
        Assert.Null(await TtlSeconds("vehicle_state")); // the seed's null TTL: never expires
    }

    [Fact]
    public async Task An_asleep_car_is_not_woken_its_stored_response_is_served_whatever_its_age()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await fixture.Database.ExecuteAsync("UPDATE vehicles SET state = 'asleep' WHERE id = @v", ("v", vehicles[0]));
        // Three hours old: past charge_state's max-stale (1 h), but the car has not changed while asleep.
        await StoreExpiredAsync(fixture, account, vehicles[0], "charge_state", TeslaSamples.ChargeState(63), TimeSpan.FromHours(3));
        var fetches = 0;

        var result = await fixture.Cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), _ =>
        {
            fetches++;
            return Task.FromResult(TeslaSamples.ChargeState(64));
        }, Ct);

        Assert.Equal(0, fetches);
        Assert.True(result.IsStale);
        Assert.Equal(StaleReason.VehicleAsleep, result.Reason);
        Assert.Equal(63, result.Value.GetProperty("battery_level").GetInt32());
        Assert.InRange(result.Age, TimeSpan.FromHours(3), TimeSpan.FromHours(3.1));
    }

    [Fact]
    public async Task An_offline_car_is_fetched_when_the_policy_may_wake_it_or_when_nothing_is_stored()
    {
        var (account, vehicles) = await fixture.SeedAsync(2);
        await fixture.Database.ExecuteAsync("UPDATE vehicles SET state = 'offline' WHERE tesla_account_id = @a", ("a", account));
        var options = new TeslaCacheOptions();
        options.Endpoints["charge_state"] = new EndpointCacheOptions { MayWake = true };
        await using var instance = Create(fixture, options);
        await StoreExpiredAsync(fixture, account, vehicles[0], "charge_state", TeslaSamples.ChargeState(20), TimeSpan.FromMinutes(5));
        var fetches = 0;

        var woken = await new VehicleCacheRepository(instance).GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), _ =>
        {
            fetches++;
            return Task.FromResult(TeslaSamples.ChargeState(21));
        }, Ct);
        var firstEver = await fixture.Cache.GetOrFetchAsync(new CacheRequest(account, vehicles[1], "climate_state"), _ =>
        {
            fetches++;
            return Task.FromResult(TeslaSamples.Parse("""{"inside_temp": 12.0}"""));
        }, Ct);

        Assert.Equal(2, fetches);
        Assert.False(woken.IsStale);
        Assert.Equal(21, woken.Value.GetProperty("battery_level").GetInt32());
        Assert.False(firstEver.IsStale);
    }

    [Fact]
    public void Invalid_options_are_refused_with_one_line_each()
    {
        var options = new TeslaCacheOptions { SoftTimeout = TimeSpan.FromSeconds(40), DefaultTtl = TimeSpan.Zero };
        options.Endpoints["Charge State"] = new EndpointCacheOptions { Ttl = TimeSpan.FromSeconds(-1) };

        var problems = options.Problems();
        var error = Assert.Throws<ArgumentException>(() => TeslaDbDatabase.Create(fixture.Database.ConnectionString, options));

        Assert.Contains("Cache:DefaultTtl must be positive (it is 00:00:00).", problems);
        Assert.Contains(problems, p => p.StartsWith("Cache:SoftTimeout (00:00:40) must not exceed Cache:HardTimeout", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cache:Endpoints:Charge State is not an endpoint name", StringComparison.Ordinal));
        Assert.Contains("Cache:Endpoints:Charge State:Ttl must be positive (it is -00:00:01).", problems);
        Assert.StartsWith(problems[0], error.Message, StringComparison.Ordinal);
        Assert.Empty(new TeslaCacheOptions().Problems());
    }
}
