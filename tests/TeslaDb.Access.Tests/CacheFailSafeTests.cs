using System.Text.Json;
using TeslaDb.Access.Cache;
using static TeslaDb.Access.Tests.CacheTestInstances;

namespace TeslaDb.Access.Tests;

/// <summary>Fail-safe: when Tesla fails or is slow, the last stored response within max-stale is served, marked stale
/// with its age; past the soft timeout the fetch finishes in the background and stores; past the hard timeout it is
/// given up.</summary>
public sealed class CacheFailSafeTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_failing_fetch_serves_the_stored_response_with_its_age_then_fresh_once_tesla_answers()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await StoreExpiredAsync(fixture, account, vehicles[0], "charge_state", TeslaSamples.ChargeState(55), TimeSpan.FromMinutes(10));
        var request = new CacheRequest(account, vehicles[0], "charge_state");

        var stale = await fixture.Cache.GetOrFetchAsync(request, _ => throw new HttpRequestException("Tesla answered 503"), Ct);
        var fresh = await fixture.Cache.GetOrFetchAsync(request, _ => Task.FromResult(TeslaSamples.ChargeState(56)), Ct);

        Assert.True(stale.IsStale);
        Assert.Equal(StaleReason.FetchFailed, stale.Reason);
        Assert.IsType<HttpRequestException>(stale.Error);
        Assert.Equal(55, stale.Value.GetProperty("battery_level").GetInt32());
        Assert.InRange(stale.Age, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(11));
        Assert.False(fresh.IsStale);
        Assert.Equal(TimeSpan.Zero, fresh.Age);
        Assert.Equal(56, fresh.Value.GetProperty("battery_level").GetInt32());
        Assert.Equal(56, (await fixture.Cache.GetFreshAsync(vehicles[0], "charge_state", Ct))!.Value.GetProperty("battery_level").GetInt32());
    }

    [Fact]
    public async Task The_existing_overload_answers_with_the_stored_response_instead_of_failing()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await StoreExpiredAsync(fixture, account, vehicles[0], "charge_state", TeslaSamples.ChargeState(44), TimeSpan.FromMinutes(3));

        var value = await fixture.Cache.GetOrFetchAsync(account, vehicles[0], "charge_state", TimeSpan.FromMinutes(5), _ => throw new HttpRequestException("timeout"), Ct);

        Assert.Equal(44, value.GetProperty("battery_level").GetInt32());
    }

    [Fact]
    public async Task A_response_older_than_max_stale_is_not_served_and_the_fetch_error_goes_up()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        // drive_state: max-stale 15 minutes by default.
        await StoreExpiredAsync(fixture, account, vehicles[0], "drive_state", TeslaSamples.Parse("""{"speed": 88}"""), TimeSpan.FromMinutes(20));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            fixture.Cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "drive_state"), _ => throw new HttpRequestException("Tesla answered 503"), Ct));

        Assert.Equal("Tesla answered 503", error.Message);
    }

    [Fact]
    public async Task Past_the_soft_timeout_the_stale_response_is_served_and_the_fetch_stores_its_result_in_the_background()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await using var instance = Create(fixture, new TeslaCacheOptions { SoftTimeout = TimeSpan.FromMilliseconds(50) });
        var cache = new VehicleCacheRepository(instance);
        await StoreExpiredAsync(fixture, account, vehicles[0], "climate_state", TeslaSamples.Parse("""{"inside_temp": 18.0}"""), TimeSpan.FromMinutes(2));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var stale = await cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "climate_state"), async ct =>
        {
            await release.Task.WaitAsync(ct);
            return TeslaSamples.Parse("""{"inside_temp": 22.5}""");
        }, Ct);
        release.SetResult();
        await WaitUntilAsync(async () => await fixture.Cache.GetFreshAsync(vehicles[0], "climate_state", Ct) is not null);

        Assert.True(stale.IsStale);
        Assert.Equal(StaleReason.SoftTimeout, stale.Reason);
        Assert.Equal(18.0, stale.Value.GetProperty("inside_temp").GetDouble());
        Assert.Equal(22.5, (await fixture.Cache.GetFreshAsync(vehicles[0], "climate_state", Ct))!.Value.GetProperty("inside_temp").GetDouble());
    }

    [Fact]
    public async Task Past_the_hard_timeout_the_fetch_is_cancelled_and_without_a_stored_response_the_caller_gets_a_timeout()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await using var instance = Create(fixture, new TeslaCacheOptions { SoftTimeout = TimeSpan.FromMilliseconds(50), HardTimeout = TimeSpan.FromMilliseconds(300) });
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => new VehicleCacheRepository(instance).GetOrFetchAsync(
            new CacheRequest(account, vehicles[0], "vehicle_state"),
            async ct =>
            {
                using var registration = ct.Register(() => cancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, ct);
                return TeslaSamples.Parse("{}");
            },
            Ct));
        await cancelled.Task.WaitAsync(Ct);

        Assert.Contains("hard timeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = @v", ("v", vehicles[0])));
    }

    [Fact]
    public async Task A_fetch_that_never_answers_serves_the_stored_response_and_is_given_up_at_the_hard_timeout()
    {
        var (account, vehicles) = await fixture.SeedAsync();
        await using var instance = Create(fixture, new TeslaCacheOptions { SoftTimeout = TimeSpan.FromMilliseconds(50), HardTimeout = TimeSpan.FromMilliseconds(300) });
        await StoreExpiredAsync(fixture, account, vehicles[0], "vehicle_state", TeslaSamples.Parse("""{"locked": true}"""), TimeSpan.FromMinutes(30));
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var result = await new VehicleCacheRepository(instance).GetOrFetchAsync(new CacheRequest(account, vehicles[0], "vehicle_state"), async ct =>
        {
            using var registration = ct.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct);
            return TeslaSamples.Parse("{}");
        }, Ct);
        await cancelled.Task.WaitAsync(Ct);

        Assert.True(result.IsStale);
        Assert.True(result.Value.GetProperty("locked").GetBoolean());
        Assert.InRange(result.Age, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(31));
        // Given up: the stored response is still the old one.
        Assert.Null(await fixture.Cache.GetFreshAsync(vehicles[0], "vehicle_state", Ct));
    }

    [Fact]
    public async Task Cleanup_keeping_stale_rows_deletes_only_what_expired_before_the_window()
    {
        var (account, vehicles) = await fixture.SeedAsync(3);
        await StoreExpiredAsync(fixture, account, vehicles[0], "charge_state", TeslaSamples.ChargeState(1), TimeSpan.FromMinutes(10));
        await StoreExpiredAsync(fixture, account, vehicles[1], "charge_state", TeslaSamples.ChargeState(2), TimeSpan.FromHours(3));
        await fixture.Cache.StoreAsync(account, vehicles[2], "charge_state", TeslaSamples.ChargeState(3), TimeSpan.FromHours(1), Ct);

        var deleted = await fixture.Cache.CleanupExpiredAsync(TimeSpan.FromHours(1), Ct);
        var stale = await fixture.Cache.GetOrFetchAsync(new CacheRequest(account, vehicles[0], "charge_state"), _ => throw new HttpRequestException("503"), Ct);

        Assert.True(deleted >= 1);
        Assert.Equal(new[] { vehicles[0], vehicles[2] }.Order(), (await fixture.Database.ScalarAsync<Guid[]>(
            "SELECT array_agg(vehicle_id ORDER BY vehicle_id) FROM vehicle_data_cache WHERE tesla_account_id = @a", ("a", account))).Order());
        Assert.True(stale.IsStale);
        Assert.Equal(1, stale.Value.GetProperty("battery_level").GetInt32());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => fixture.Cache.CleanupExpiredAsync(TimeSpan.FromSeconds(-1), Ct));
    }
}
