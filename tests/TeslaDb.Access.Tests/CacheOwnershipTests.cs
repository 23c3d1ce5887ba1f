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
}
