using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Tokens;
using TeslaDb.Access.Vehicles;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// Failover by promotion with a multi-host connection string: the standby is promoted (pg_ctl promote) and the old
/// primary stopped under a running app. Every operation works again after at most one failed call (reads after
/// none: they are retried); the writes land on the promoted server. A cluster of the test's own: it is destroyed.
/// </summary>
public sealed class FailoverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_promotion_and_the_old_primary_stopping_each_operation_fails_at_most_once()
    {
        await using var cluster = await ReplicatedCluster.StartAsync();
        var name = "tesladb_failover_" + Guid.NewGuid().ToString("N")[..8];
        await using (var primary = new NpgsqlConnection(cluster.Primary.ConnectionString))
        {
            await primary.OpenAsync(Ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", primary);
            await create.ExecuteNonQueryAsync(Ct);
        }

        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = new NpgsqlConnectionStringBuilder(cluster.Primary.ConnectionString) { Database = name }.ConnectionString, Supabase = SupabaseMode.Off })
            .UpAsync(cancellationToken: Ct);
        await using var access = TeslaDbDatabase.Create(cluster.MultiHost(name), new TeslaCacheOptions(), new TeslaDbRoutingOptions(), loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        var cache = new VehicleCacheRepository(access);
        var vehicles = new VehicleRepository(access);
        var tokens = new TokenRepository(access);
        var account = (await new Accounts.TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Failover", cancellationToken: Ct)).Id;
        var vehicle = (await vehicles.UpsertAsync(account, [TeslaSamples.Vehicle(TeslaSamples.TeslaId(7), TeslaSamples.Vin(7))], Ct)).Values.Single();
        await cache.StoreAsync(account, vehicle, "charge_state", TeslaSamples.ChargeState(60), TimeSpan.FromHours(1), Ct);
        await tokens.StoreAsync(account, TeslaSamples.Token("eyJ.0", "EU.0"), TimeSpan.FromHours(8), Ct);
        await cluster.WaitForReplayAsync(Ct);

        var refreshes = 0;
        var operations = new (string Name, bool IsRead, Func<Task> Run)[]
        {
            ("cache read", true, async () => Assert.NotNull(await cache.GetFreshAsync(vehicle, "charge_state", Ct))),
            ("vehicle browse", true, async () => Assert.Single((await vehicles.BrowseAsync(account, cancellationToken: Ct)).Items)),
            ("vehicle list", true, async () => Assert.Single(await vehicles.ListAsync(account, Ct))),
            ("cache store", false, () => cache.StoreAsync(account, vehicle, "charge_state", TeslaSamples.ChargeState(61), TimeSpan.FromHours(1), Ct)),
            ("vehicle upsert", false, () => vehicles.UpsertAsync(account, [TeslaSamples.Vehicle(TeslaSamples.TeslaId(7), TeslaSamples.Vin(7), "asleep")], Ct)),
            ("token refresh", false, async () => Assert.StartsWith("eyJ.", await tokens.GetValidAccessTokenAsync(account, (_, _) =>
                Task.FromResult(TeslaSamples.Token($"eyJ.{Interlocked.Increment(ref refreshes)}", "EU.next")), skew: TimeSpan.FromDays(1), cancellationToken: Ct))),
        };

        // Every operation once before: the pools hold connections to both servers.
        foreach (var operation in operations)
        {
            await operation.Run();
        }

        await cluster.PromoteStandbyAsync();
        await cluster.StopPrimaryAsync();

        foreach (var (label, isRead, run) in operations)
        {
            Exception? failure = null;
            try
            {
                await run();
            }
            catch (Exception e) when (!isRead && e is NpgsqlException or InvalidOperationException)
            {
                failure = e; // a write is not replayed: its caller sees one failure at most
            }

            if (failure is not null)
            {
                await run();
            }
        }

        // The writes are on the promoted server.
        await using var promoted = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.Standby.ConnectionString) { Database = name }.ConnectionString);
        await promoted.OpenAsync(Ct);
        await using var check = new NpgsqlCommand(
            "SELECT (SELECT (response_data ->> 'battery_level')::int FROM vehicle_data_cache WHERE vehicle_id = @v), (SELECT state FROM vehicles WHERE id = @v)", promoted);
        check.Parameters.AddWithValue("v", vehicle);
        await using var reader = await check.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(61, reader.GetInt32(0));
        Assert.Equal("asleep", reader.GetString(1));
    }
}
