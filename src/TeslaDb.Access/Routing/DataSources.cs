using Npgsql;

namespace TeslaDb.Access;

/// <summary>
/// The data sources of one <see cref="TeslaDbDatabase"/>: the primary, and where lag-tolerant reads go when there is
/// somewhere else to go. A multi-host string becomes one Npgsql multi-host data source seen twice: targeting the
/// primary (writes; after a failover, whichever host was promoted) and preferring a standby (reads; the primary when
/// no standby answers).
/// </summary>
internal sealed class DataSources : IAsyncDisposable
{
    private readonly NpgsqlDataSource[] _owned;

    private DataSources(NpgsqlDataSource primary, NpgsqlDataSource? replica, params NpgsqlDataSource[] owned)
    {
        Primary = primary;
        Replica = replica;
        _owned = owned;
    }

    public NpgsqlDataSource Primary { get; }

    /// <summary>Null: one server, every read on the primary.</summary>
    public NpgsqlDataSource? Replica { get; }

    public static DataSources Build(NpgsqlConnectionStringBuilder main, NpgsqlConnectionStringBuilder? read)
    {
        NpgsqlDataSource primary;
        NpgsqlDataSource? replica = null;
        var owned = new List<NpgsqlDataSource>();
        if (IsMultiHost(main))
        {
            var multi = new NpgsqlDataSourceBuilder(main.ConnectionString).BuildMultiHost();
            owned.Add(multi);
            primary = multi.WithTargetSession(TargetSessionAttributes.Primary);
            replica = multi.WithTargetSession(TargetSessionAttributes.PreferStandby);
        }
        else
        {
            primary = new NpgsqlDataSourceBuilder(main.ConnectionString).Build();
            owned.Add(primary);
        }

        if (read is not null)
        {
            if (IsMultiHost(read))
            {
                var multi = new NpgsqlDataSourceBuilder(read.ConnectionString).BuildMultiHost();
                owned.Add(multi);
                replica = multi.WithTargetSession(TargetSessionAttributes.PreferStandby);
            }
            else
            {
                replica = new NpgsqlDataSourceBuilder(read.ConnectionString).Build();
                owned.Add(replica);
            }
        }

        return new DataSources(primary, replica, [.. owned]);
    }

    /// <summary>After a server went away: drops the idle pooled connections (they died with it) and, for multi-host
    /// sources, forgets which host was primary, so that the next open finds the promoted standby at once instead of
    /// after Host Recheck Seconds.</summary>
    public void Forget()
    {
        foreach (var source in _owned)
        {
            source.Clear();
            if (source is NpgsqlMultiHostDataSource multi)
            {
                multi.ClearDatabaseStates();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _owned)
        {
            await source.DisposeAsync();
        }
    }

    private static bool IsMultiHost(NpgsqlConnectionStringBuilder builder) => (builder.Host ?? string.Empty).Contains(',', StringComparison.Ordinal);
}
