using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Vehicles;

namespace TeslaDb.Access.Tests;

/// <summary>
/// With a primary and a streaming standby: the reads that tolerate lag are served by the standby (checked on the
/// serving backend: pg_is_in_recovery() and its port), everything else (writes, the token refresh lock, the reads an
/// app makes right after its own write) by the primary, even when the multi-host string lists the standby first.
/// </summary>
[Collection(ReplicatedClusterCollection.Name)]
public sealed class ReplicaRoutingTests(ReplicatedClusterFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lag_tolerant_reads_land_on_the_standby_and_the_others_on_the_primary()
    {
        await using var access = TeslaDbDatabase.Create(fixture.MultiHostStandbyFirst, new TeslaCacheOptions(), new TeslaDbRoutingOptions(), loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        Assert.True(access.HasReadReplicas);
        // The writes succeed: a standby would refuse them (25006), so they reached the primary though it is listed second.
        var (account, vehicle) = await fixture.SeedAsync(access, Ct);
        var served = ServedBy.Watch(access);
        var cache = new VehicleCacheRepository(access);
        var vehicles = new VehicleRepository(access);
        var accounts = new TeslaAccountRepository(access);

        Assert.NotNull(await cache.GetFreshAsync(vehicle, "charge_state", Ct));
        var hit = await cache.GetOrFetchAsync(new CacheRequest(account, vehicle, "charge_state"), _ => throw new InvalidOperationException("a hit never fetches"), Ct);
        Assert.False(hit.IsStale);
        Assert.Single((await cache.BrowseAsync(new CacheFilter(account), cancellationToken: Ct)).Items);
        Assert.Single(await cache.StatisticsAsync(account, Ct));
        Assert.Single((await vehicles.BrowseAsync(account, cancellationToken: Ct)).Items);
        Assert.Single(await vehicles.ListSyncedWithinAsync(account, TimeSpan.FromHours(1), Ct));
        Assert.NotEmpty((await accounts.BrowseAsync(cancellationToken: Ct)).Items);
        foreach (var operation in new[] { "Cache.GetFresh", "Cache.Read", "Cache.Browse", "Cache.Statistics", "Vehicles.Browse", "Vehicles.ListSyncedWithin", "Accounts.Browse" })
        {
            Assert.Equal((fixture.Cluster.Standby.Port, true), served.Last(operation));
        }

        Assert.Single(await vehicles.ListAsync(account, Ct));
        Assert.NotNull(await accounts.GetAsync(account, Ct));
        Assert.Equal(1, await cache.CountAsync(new CacheFilter(account), Ct));
        foreach (var operation in new[] { "Vehicles.List", "Accounts.Get", "Cache.Count" })
        {
            Assert.Equal((fixture.Cluster.Primary.Port, false), served.Last(operation));
        }

        using (access.ReadFromPrimary())
        {
            Assert.NotNull(await cache.GetFreshAsync(vehicle, "charge_state", Ct));
        }

        Assert.Equal((fixture.Cluster.Primary.Port, false), served.Last("Cache.GetFresh"));
    }

    [Fact]
    public async Task Token_refresh_locks_and_stores_on_the_primary()
    {
        await using var access = TeslaDbDatabase.Create(fixture.MultiHostStandbyFirst, new TeslaCacheOptions(), new TeslaDbRoutingOptions(), loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        var (account, _) = await fixture.SeedAsync(access, Ct);
        var tokens = new TokenRepository(access);
        await tokens.StoreAsync(account, TeslaSamples.Token("eyJ.before", "EU.before"), TimeSpan.FromMinutes(1), Ct);
        var served = ServedBy.Watch(access);

        // A skew longer than the token's life: due now. SELECT … FOR UPDATE fails on a standby (25006), so the lock
        // and the store can only have run on the primary.
        var calls = 0;
        var token = await tokens.GetValidAccessTokenAsync(account, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(TeslaSamples.Token("eyJ.after", "EU.after"));
        }, skew: TimeSpan.FromHours(1), cancellationToken: Ct);

        Assert.Equal("eyJ.after", token);
        Assert.Equal(1, calls);
        Assert.Equal("eyJ.after", (await tokens.GetForAccountAsync(account, Ct))!.AccessToken);
        Assert.Equal((fixture.Cluster.Primary.Port, false), served.Last("Tokens.GetForAccount"));
    }

    [Fact]
    public async Task A_separate_read_connection_string_serves_the_lag_tolerant_reads()
    {
        await using var access = TeslaDbDatabase.Create(
            fixture.On(fixture.Cluster.Primary), new TeslaCacheOptions(), new TeslaDbRoutingOptions { ReadConnectionString = fixture.On(fixture.Cluster.Standby) },
            loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        var (account, vehicle) = await fixture.SeedAsync(access, Ct);
        var served = ServedBy.Watch(access);

        Assert.NotNull(await new VehicleCacheRepository(access).GetFreshAsync(vehicle, "charge_state", Ct));
        Assert.Single(await new VehicleRepository(access).ListAsync(account, Ct));

        Assert.Equal((fixture.Cluster.Standby.Port, true), served.Last("Cache.GetFresh"));
        Assert.Equal((fixture.Cluster.Primary.Port, false), served.Last("Vehicles.List"));
    }
}
