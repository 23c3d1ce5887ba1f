using Npgsql;
using TeslaDb.Access.Cache;

namespace TeslaDb.Access.Tests;

/// <summary>
/// A standby further behind than TeslaDb:Routing:MaxReplicaLag serves no read: with replay paused
/// (pg_wal_replay_pause()) and a newer write on the primary, once the standby's lag passes the bound the read goes
/// to the primary and sees the write; a database allowing more lag still reads the standby's older answer.
/// </summary>
[Collection(ReplicatedClusterCollection.Name)]
public sealed class ReplicaLagTests(ReplicatedClusterFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_standby_lagging_past_the_bound_is_skipped_for_the_primary()
    {
        var strict = new TeslaDbRoutingOptions { MaxReplicaLag = Bound, LagSampleLifetime = TimeSpan.FromMilliseconds(100) };
        await using var access = TeslaDbDatabase.Create(fixture.MultiHostStandbyFirst, new TeslaCacheOptions(), strict, loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        await using var lenient = TeslaDbDatabase.Create(
            fixture.MultiHostStandbyFirst, new TeslaCacheOptions(), new TeslaDbRoutingOptions { MaxReplicaLag = TimeSpan.FromHours(1) }, loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        var (account, vehicle) = await fixture.SeedAsync(access, Ct);
        var served = ServedBy.Watch(access);
        var servedLenient = ServedBy.Watch(lenient);
        var cache = new VehicleCacheRepository(access);

        // Caught up: the standby serves.
        Assert.Equal(80, Battery(await cache.GetFreshAsync(vehicle, "charge_state", Ct)));
        Assert.Equal((fixture.Cluster.Standby.Port, true), served.Last("Cache.GetFresh"));

        await fixture.Cluster.PauseReplayAsync();
        try
        {
            await cache.StoreAsync(account, vehicle, "charge_state", TeslaSamples.ChargeState(42), TimeSpan.FromHours(1), Ct);
            await WaitForStandbyLagAsync(Bound);

            // Behind by more than the bound: the primary serves, with the new value.
            Assert.Equal(42, Battery(await cache.GetFreshAsync(vehicle, "charge_state", Ct)));
            Assert.Equal((fixture.Cluster.Primary.Port, false), served.Last("Cache.GetFresh"));

            // Allowed an hour of lag, the standby still serves its older answer: the routing, not luck, made the difference.
            Assert.Equal(80, Battery(await new VehicleCacheRepository(lenient).GetFreshAsync(vehicle, "charge_state", Ct)));
            Assert.Equal((fixture.Cluster.Standby.Port, true), servedLenient.Last("Cache.GetFresh"));
        }
        finally
        {
            await fixture.Cluster.PauseReplayAsync(false);
        }

        // Caught up again: back on the standby, once the lag sample is renewed.
        await fixture.Cluster.WaitForReplayAsync(Ct);
        await WaitUntilAsync(async () =>
        {
            var value = Battery(await cache.GetFreshAsync(vehicle, "charge_state", Ct));
            return value == 42 && served.Last("Cache.GetFresh").Standby;
        });
    }

    private static int Battery(System.Text.Json.JsonElement? response) =>
        response!.Value.GetProperty("battery_level").GetInt32();

    // The standby's own measure (the one the routing uses) has passed the bound.
    private async Task WaitForStandbyLagAsync(TimeSpan bound)
    {
        await using var standby = new NpgsqlConnection(fixture.On(fixture.Cluster.Standby));
        await standby.OpenAsync(Ct);
        await WaitUntilAsync(async () =>
        {
            await using var command = new NpgsqlCommand(ReplicaLag.LagSql, standby);
            return (double)(await command.ExecuteScalarAsync(Ct))! > bound.TotalSeconds;
        });
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
