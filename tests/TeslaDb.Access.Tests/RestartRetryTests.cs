using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// A server restarted under a running app (pg_ctl restart -m fast: every pooled connection dies with it): with the
/// retry policy, no read fails, however many dead pooled connections it meets, and the writes after them work. The
/// same restart without retries (ReadAttempts = 1) shows the fault the policy absorbs. A server of the test's own.
/// </summary>
public sealed class RestartRetryTests
{
    private const int Readers = 6;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_restart_every_read_succeeds_and_writes_follow()
    {
        await using var cluster = await PrivateCluster.StartAsync(durable: false);
        var db = await MigratedDatabaseAsync(cluster);
        await using var access = TeslaDbDatabase.Create(db.ConnectionString, tokenKeys: TeslaSamples.Keys);
        await using var noRetry = TeslaDbDatabase.Create(db.ConnectionString, new TeslaCacheOptions(), new TeslaDbRoutingOptions { ReadAttempts = 1 }, loggerFactory: null, tokenKeys: TeslaSamples.Keys);
        var account = (await new Accounts.TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Restart", cancellationToken: Ct)).Id;
        var vehicle = (await new Vehicles.VehicleRepository(access).UpsertAsync(account, [TeslaSamples.Vehicle(TeslaSamples.TeslaId(3), TeslaSamples.Vin(3))], Ct)).Values.Single();
        var cache = new VehicleCacheRepository(access);
        await cache.StoreAsync(account, vehicle, "charge_state", TeslaSamples.ChargeState(70), TimeSpan.FromHours(1), Ct);

        // Several connections open at once, then back in the pools: each will be dead after the restart.
        await Task.WhenAll(Enumerable.Range(0, Readers).Select(_ => ReadHoldingAsync(access)));
        Assert.NotNull(await new VehicleCacheRepository(noRetry).GetFreshAsync(vehicle, "charge_state", Ct));

        await cluster.RestartAsync("fast");

        var reads = await Task.WhenAll(Enumerable.Range(0, Readers).Select(_ => cache.GetFreshAsync(vehicle, "charge_state", Ct)));
        Assert.All(reads, r => Assert.NotNull(r));
        Assert.Single((await cache.BrowseAsync(new CacheFilter(account), cancellationToken: Ct)).Items);
        await cache.StoreAsync(account, vehicle, "charge_state", TeslaSamples.ChargeState(71), TimeSpan.FromHours(1), Ct);

        // Without retries, the first read after the restart meets its dead pooled connection.
        var fault = await Assert.ThrowsAnyAsync<Exception>(() => new VehicleCacheRepository(noRetry).GetFreshAsync(vehicle, "charge_state", Ct));
        Assert.True(TransientFaults.IsTransient(fault, CancellationToken.None), fault.ToString());
    }

    [Fact]
    public async Task After_a_restart_a_due_token_is_refreshed_once_without_a_fault()
    {
        await using var cluster = await PrivateCluster.StartAsync(durable: false);
        var db = await MigratedDatabaseAsync(cluster);
        await using var access = TeslaDbDatabase.Create(db.ConnectionString, tokenKeys: TeslaSamples.Keys);
        var account = (await new Accounts.TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Restart", cancellationToken: Ct)).Id;
        var tokens = new Tokens.TokenRepository(access);
        await tokens.StoreAsync(account, TeslaSamples.Token("eyJ.before", "EU.before"), TimeSpan.FromMinutes(5), Ct);
        await Task.WhenAll(Enumerable.Range(0, Readers).Select(_ => ReadHoldingAsync(access)));

        await cluster.RestartAsync("fast");

        // The first read meets a dead pooled connection and is retried; the refresh under the lock then runs once.
        var calls = 0;
        var accessToken = await tokens.GetValidAccessTokenAsync(account, (request, _) =>
        {
            Interlocked.Increment(ref calls);
            Assert.Equal("EU.before", request.RefreshToken);
            return Task.FromResult(TeslaSamples.Token("eyJ.after", "EU.after"));
        }, skew: TimeSpan.FromMinutes(10), cancellationToken: Ct);

        Assert.Equal(("eyJ.after", 1), (accessToken, calls));
        Assert.Equal("EU.after", (await tokens.GetForAccountAsync(account, Ct))!.RefreshToken);
    }

    private static async Task<TestDatabase> MigratedDatabaseAsync(PrivateCluster cluster)
    {
        var db = await cluster.CreateDatabaseAsync();
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString, Supabase = SupabaseMode.Off }).UpAsync(cancellationToken: Ct);
        return db;
    }

    // A read that keeps its connection a moment, so that concurrent ones each take a connection of their own.
    private static async Task ReadHoldingAsync(TeslaDbDatabase access)
    {
        await using var connection = await access.DataSource.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT pg_sleep(0.2)", connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
