using TeslaDb.Access.Cache;
using static TeslaDb.Access.Tests.CacheTestInstances;

namespace TeslaDb.Access.Tests;

/// <summary>Shared back-off: a 429 for an account, seen by one instance, keeps every instance from calling Tesla for
/// that account until Retry-After has passed, serving stored responses meanwhile.</summary>
public sealed class CacheBackoffTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_429_in_one_instance_backs_off_every_instance_until_retry_after_serving_stale_meanwhile()
    {
        var (account, vehicles) = await fixture.SeedAsync(2);
        await using var first = Create(fixture);
        await using var second = Create(fixture);
        await StoreExpiredAsync(fixture, account, vehicles[0], "charge_state", TeslaSamples.ChargeState(30), TimeSpan.FromMinutes(5));
        await StoreExpiredAsync(fixture, account, vehicles[1], "climate_state", TeslaSamples.Parse("""{"inside_temp": 15.0}"""), TimeSpan.FromMinutes(8));
        var secondFetches = 0;

        var limited = await new VehicleCacheRepository(first).GetOrFetchAsync(
            new CacheRequest(account, vehicles[0], "charge_state"), _ => throw new TeslaRateLimitedException(TimeSpan.FromHours(1)), Ct);
        var backedOff = await new VehicleCacheRepository(second).GetOrFetchAsync(new CacheRequest(account, vehicles[1], "climate_state"), _ =>
        {
            secondFetches++;
            return Task.FromResult(TeslaSamples.Parse("""{"inside_temp": 19.0}"""));
        }, Ct);

        Assert.Equal((true, StaleReason.RateLimited), (limited.IsStale, limited.Reason));
        Assert.Equal(30, limited.Value.GetProperty("battery_level").GetInt32());
        Assert.InRange(await fixture.Database.ScalarAsync<double>("SELECT extract(epoch FROM retry_at - now())::float8 FROM tesla_api_backoff WHERE tesla_account_id = @a", ("a", account)), 3500, 3600);
        Assert.Equal(0, secondFetches);
        Assert.Equal((true, StaleReason.RateLimited), (backedOff.IsStale, backedOff.Reason));
        Assert.Equal(15.0, backedOff.Value.GetProperty("inside_temp").GetDouble());

        // Once Retry-After has passed, Tesla is asked again.
        await fixture.Database.ExecuteAsync("UPDATE tesla_api_backoff SET retry_at = now() - interval '1 second' WHERE tesla_account_id = @a", ("a", account));
        var fresh = await new VehicleCacheRepository(second).GetOrFetchAsync(new CacheRequest(account, vehicles[1], "climate_state"), _ =>
        {
            secondFetches++;
            return Task.FromResult(TeslaSamples.Parse("""{"inside_temp": 19.0}"""));
        }, Ct);
        Assert.Equal(1, secondFetches);
        Assert.False(fresh.IsStale);
    }

    [Fact]
    public async Task A_429_without_retry_after_backs_off_for_the_default_and_other_accounts_are_not_affected()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        var (other, otherVehicles) = await fixture.SeedAsync();
        await using var instance = Create(fixture, new TeslaCacheOptions { DefaultRetryAfter = TimeSpan.FromMinutes(10) });
        var cache = new VehicleCacheRepository(instance);

        await Assert.ThrowsAsync<HttpRequestException>(() => cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"),
            _ => throw new HttpRequestException("Too Many Requests", null, System.Net.HttpStatusCode.TooManyRequests), Ct));
        var blocked = await Assert.ThrowsAsync<TeslaRateLimitedException>(() => cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "drive_state"),
            _ => Task.FromResult(TeslaSamples.Parse("{}")), Ct));
        var unaffected = await cache.GetOrFetchAsync(new CacheRequest(other, otherVehicles[0], "drive_state"), _ => Task.FromResult(TeslaSamples.Parse("""{"speed": 0}""")), Ct);

        Assert.InRange(await fixture.Database.ScalarAsync<double>("SELECT extract(epoch FROM retry_at - now())::float8 FROM tesla_api_backoff WHERE tesla_account_id = @a", ("a", account)), 590, 600);
        Assert.NotNull(blocked.RetryAt);
        Assert.False(unaffected.IsStale);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM tesla_api_backoff WHERE tesla_account_id = @a", ("a", other)));
    }
}
