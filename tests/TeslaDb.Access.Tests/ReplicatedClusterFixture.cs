using Npgsql;
using TeslaDb.Access.Accounts;
using TeslaDb.Access.Cache;
using TeslaDb.Access.Vehicles;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Access.Tests;

/// <summary>
/// One primary and one streaming standby shared by the replica test classes (a collection: they run one after the
/// other, since the lag test pauses replay), with a migrated database on the primary, replayed on the standby.
/// </summary>
public sealed class ReplicatedClusterFixture : IAsyncLifetime
{
    private ReplicatedCluster? _cluster;

    public ReplicatedCluster Cluster => _cluster ?? throw new InvalidOperationException("not initialized");

    public string DatabaseName { get; } = "tesladb_replicas_" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The database on one server of the cluster.</summary>
    public string On(NpgsqlConnectionStringBuilder server) =>
        new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = DatabaseName }.ConnectionString;

    /// <summary>The multi-host string an app would use, the standby listed first: writes must still find the primary.</summary>
    public string MultiHostStandbyFirst =>
        new NpgsqlConnectionStringBuilder(Cluster.Primary.ConnectionString)
        {
            Host = $"{Cluster.Standby.Host}:{Cluster.Standby.Port},{Cluster.Primary.Host}:{Cluster.Primary.Port}",
            Database = DatabaseName,
        }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        _cluster = await ReplicatedCluster.StartAsync();
        await using (var primary = new NpgsqlConnection(Cluster.Primary.ConnectionString))
        {
            await primary.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", primary);
            await create.ExecuteNonQueryAsync();
        }

        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = On(Cluster.Primary), Supabase = SupabaseMode.Off }).UpAsync();
        await Cluster.WaitForReplayAsync();
    }

    /// <summary>An account with one vehicle and a charge_state response, written through <paramref name="access"/>
    /// (so on the primary) and replayed on the standby.</summary>
    public async Task<(Guid Account, Guid Vehicle)> SeedAsync(TeslaDbDatabase access, CancellationToken cancellationToken)
    {
        var account = await new TeslaAccountRepository(access).CreateAsync(Guid.NewGuid(), "Replica", cancellationToken: cancellationToken);
        var ids = await new VehicleRepository(access).UpsertAsync(account.Id, [TeslaSamples.Vehicle(TeslaSamples.TeslaId(1), TeslaSamples.Vin(1))], cancellationToken);
        var vehicle = ids.Values.Single();
        await new VehicleCacheRepository(access).StoreAsync(account.Id, vehicle, "charge_state", TeslaSamples.ChargeState(80), TimeSpan.FromHours(1), cancellationToken);
        await Cluster.WaitForReplayAsync(cancellationToken);
        return (account.Id, vehicle);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>Records, for each routed read, the server that served it: its port and pg_is_in_recovery().</summary>
public sealed class ServedBy
{
    private readonly List<(string Operation, int Port, bool Standby)> _reads = [];

    public IReadOnlyList<(string Operation, int Port, bool Standby)> Reads
    {
        get
        {
            lock (_reads)
            {
                return [.. _reads];
            }
        }
    }

    public static ServedBy Watch(TeslaDbDatabase access)
    {
        var served = new ServedBy();
        access.ReadObserver = async (operation, connection, ct) =>
        {
            await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery(), inet_server_port()", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var row = (operation, reader.GetInt32(1), reader.GetBoolean(0));
            lock (served._reads)
            {
                served._reads.Add(row);
            }
        };
        return served;
    }

    public (int Port, bool Standby) Last(string operation) =>
        Reads.Last(r => r.Operation == operation) is var r ? (r.Port, r.Standby) : default;
}

[CollectionDefinition(Name)]
public sealed class ReplicatedClusterCollection : ICollectionFixture<ReplicatedClusterFixture>
{
    public const string Name = "replicated cluster";
}
