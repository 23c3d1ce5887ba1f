using Npgsql;
using TeslaDb.Access.Cache;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// The repositories through PgBouncer (Debian 12's 1.18) in transaction mode, where consecutive transactions of one
/// client connection run on whichever server connection is free. PgBouncer before 1.21 cannot keep prepared
/// statements there, so the caller's connection string says <c>Max Auto Prepare=0</c>, and TeslaDbDatabase must
/// respect it (docs/access.md).
/// </summary>
public sealed class PgBouncerTransactionModeTests(AccessFixture fixture) : IClassFixture<AccessFixture>
{
    private const int Clients = 8;
    private const int Iterations = 15;

    [Fact]
    public async Task Every_repository_works_through_pgbouncer_in_transaction_mode_with_Max_Auto_Prepare_0()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bouncer = await PgBouncer.StartAsync(fixture.Database, "transaction");
        // As an app would connect: Npgsql's own pool in front of the pooler (more client connections than PgBouncer's
        // 4 server connections, so transactions really move between server connections).
        var connectionString = new NpgsqlConnectionStringBuilder(bouncer.ConnectionString) { Pooling = true, MaxPoolSize = Clients, MaxAutoPrepare = 0 }.ConnectionString;
        await using var access = TeslaDbDatabase.Create(connectionString, tokenKeys: TeslaSamples.Keys);
        var accounts = new Accounts.TeslaAccountRepository(access);
        var tokens = new Tokens.TokenRepository(access);
        var vehicles = new Vehicles.VehicleRepository(access);
        var cache = new VehicleCacheRepository(access);
        var backends = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var user = Guid.NewGuid();
            var account = await accounts.CreateAsync(user, $"Client {c}", cancellationToken: ct);
            for (var i = 0; i < Iterations; i++)
            {
                await accounts.RenameAsync(account.Id, $"Client {c} #{i}", ct);
                Assert.Equal($"Client {c} #{i}", Assert.Single(await accounts.ListAsync(user, cancellationToken: ct)).AccountName);
                await tokens.StoreAsync(account.Id, TeslaSamples.Token($"access-{c}-{i}", $"refresh-{c}-{i}"), TimeSpan.FromHours(8), ct);
                Assert.Equal($"refresh-{c}-{i}", (await tokens.GetForAccountAsync(account.Id, ct))!.RefreshToken);
                var ids = await vehicles.UpsertAsync(account.Id, Enumerable.Range(0, 3).Select(v => TeslaSamples.Vehicle(TeslaSamples.TeslaId(v), TeslaSamples.Vin(v), displayName: $"v{i}")), ct);
                Assert.Equal(3, (await vehicles.ListAsync(account.Id, ct)).Count(v => v.DisplayName == $"v{i}"));
                var vehicle = ids[TeslaSamples.TeslaId(0)];
                await cache.StoreAsync(account.Id, vehicle, "charge_state", TeslaSamples.ChargeState(i), TimeSpan.FromHours(1), ct);
                Assert.Equal(i, (await cache.GetFreshAsync(vehicle, "charge_state", ct))!.Value.GetProperty("battery_level").GetInt32());
                await cache.StoreManyAsync(ids.Values.Select(v => new CacheWrite(account.Id, v, "climate_state", TeslaSamples.ChargeState(i), TimeSpan.FromHours(1))), ct);
                Assert.Equal(3L, await cache.CountAsync(new CacheFilter(TeslaAccountId: account.Id, EndpointName: "climate_state"), ct));
                await cache.CleanupExpiredAsync(ct);
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var pid = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
            backends[(int)(await pid.ExecuteScalarAsync(ct))!] = true;
        }, ct)));

        Assert.Equal((long)Clients, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM tesla_accounts WHERE account_name LIKE 'Client % #' || @last", ("last", (Iterations - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        // It was the pooler: PgBouncer never opened more than its pool of 4 server connections for our 8 clients.
        Assert.InRange(backends.Count, 1, 4);
    }

    [Fact]
    public async Task The_connection_string_settings_of_the_caller_win_over_TeslaDb_defaults()
    {
        var server = fixture.Database.Builder;
        static async Task<NpgsqlConnectionStringBuilder> Effective(string connectionString)
        {
            await using var access = TeslaDbDatabase.Create(connectionString);
            return new NpgsqlConnectionStringBuilder(access.DataSource.ConnectionString);
        }

        var defaults = await Effective(server.ConnectionString);
        Assert.Equal(32, defaults.MaxAutoPrepare);
        Assert.True(defaults.NoResetOnClose);

        var pgbouncer = await Effective(server.ConnectionString + ";Max Auto Prepare=0");
        Assert.Equal(0, pgbouncer.MaxAutoPrepare);
        Assert.True(pgbouncer.NoResetOnClose);

        var spelt = await Effective(server.ConnectionString + ";maxautoprepare=0;no reset on close=false");
        Assert.Equal(0, spelt.MaxAutoPrepare);
        Assert.False(spelt.NoResetOnClose);

        // Supabase's transaction pooler is known by its address: no prepared statements there.
        Assert.Equal(0, (await Effective("postgresql://postgres.abcdefghijkl:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres")).MaxAutoPrepare);
        Assert.Equal(32, (await Effective("postgresql://postgres.abcdefghijkl:pw@aws-0-eu-west-1.pooler.supabase.com:5432/postgres")).MaxAutoPrepare);
        Assert.Equal(0, (await Effective("postgresql://postgres.abcdefghijkl:pw@db.abcdefghijkl.supabase.co:5432,aws-0-eu-west-1.pooler.supabase.com:6543/postgres")).MaxAutoPrepare);
    }
}
