using TeslaDb.Access.Cache;

namespace TeslaDb.Access.Tests;

/// <summary>A cache write or read-through naming a vehicle of another account is refused and stores nothing.</summary>
public sealed class CacheOwnershipTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Storing_under_another_accounts_vehicle_is_refused()
    {
        var (mine, myVehicles) = await fixture.SeedAsync();
        var (_, theirVehicles) = await fixture.SeedAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cache.StoreAsync(mine, theirVehicles[0], "charge_state", TeslaSamples.ChargeState(1), null, Ct));
        var batch = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cache.StoreManyAsync([
            new CacheWrite(mine, myVehicles[0], "charge_state", TeslaSamples.ChargeState(2), null),
            new CacheWrite(mine, theirVehicles[0], "charge_state", TeslaSamples.ChargeState(3), null),
        ], Ct));

        Assert.Contains("is not a vehicle of account", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was stored", batch.Message, StringComparison.Ordinal);
        // All or nothing: the valid row of the refused batch is not there either.
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE vehicle_id = ANY(@v)", ("v", new[] { myVehicles[0], theirVehicles[0] })));
    }

    [Fact]
    public async Task Reading_through_for_another_accounts_vehicle_is_refused_without_fetching()
    {
        var (mine, _) = await fixture.SeedAsync();
        var (theirs, theirVehicles) = await fixture.SeedAsync();
        await fixture.Cache.StoreAsync(theirs, theirVehicles[0], "charge_state", TeslaSamples.ChargeState(77), TimeSpan.FromHours(1), Ct);
        var fetches = 0;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Cache.GetOrFetchAsync(new CacheRequest(mine, theirVehicles[0], "charge_state"), _ =>
        {
            fetches++;
            return Task.FromResult(TeslaSamples.ChargeState(1));
        }, Ct));

        Assert.Contains("is not a vehicle of account", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fetches);
        Assert.Equal(77, (await fixture.Cache.GetFreshAsync(theirVehicles[0], "charge_state", Ct))!.Value.GetProperty("battery_level").GetInt32());
    }

    [Fact]
    public async Task A_caller_naming_another_accounts_vehicle_never_joins_that_accounts_running_fetch()
    {
        const string endpoint = "ownership_probe";
        var (mine, _) = await fixture.SeedAsync();
        var (theirs, theirVehicles) = await fixture.SeedAsync();
        using var measurements = new CacheMeasurements(endpoint);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var owner = fixture.Cache.GetOrFetchAsync(new CacheRequest(theirs, theirVehicles[0], endpoint), async ct =>
        {
            started.SetResult();
            await release.Task.WaitAsync(ct);
            return TeslaSamples.Parse("""{"latitude": 48.85, "longitude": 2.35}""");
        }, Ct);
        await started.Task.WaitAsync(Ct);

        // Not the owner's running fetch: its own, which waits for the owner's lock, then finds the vehicle is not its.
        var intruder = fixture.Cache.GetOrFetchAsync(new CacheRequest(mine, theirVehicles[0], endpoint), _ => Task.FromResult(TeslaSamples.Parse("{}")), Ct);
        await CacheTestInstances.WaitUntilAsync(async () => measurements.Count("tesladb.cache.coalesced_waits") > 0
            || await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 1);
        release.SetResult();

        await Assert.ThrowsAsync<ArgumentException>(() => intruder);
        Assert.Equal(0, measurements.Count("tesladb.cache.coalesced_waits"));
        Assert.Equal(48.85, (await owner).Value.GetProperty("latitude").GetDouble());
    }
}
