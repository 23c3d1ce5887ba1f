using Npgsql;

namespace TeslaDb.Benchmarks;

internal sealed record BenchOptions(NpgsqlConnectionStringBuilder Server, bool Quick)
{
    /// <summary>Total cache rows for the cleanup and migration-under-load sections (--rows N); null: their defaults.</summary>
    public int? CleanupRows { get; init; }

    public string QuickNote => Quick ? " (--quick)" : string.Empty;

    /// <summary>Creates a database of its own for one section; dispose drops it.</summary>
    public async Task<BenchDatabase> CreateDatabaseAsync(string purpose)
    {
        var name = $"tesladb_bench_{purpose}_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var admin = new NpgsqlConnection(Server.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }

        return new BenchDatabase(Server, name);
    }
}

internal sealed class BenchDatabase(NpgsqlConnectionStringBuilder server, string name) : IAsyncDisposable
{
    public string Name => name;

    public NpgsqlConnectionStringBuilder Builder { get; } = new(server.ConnectionString) { Database = name, Timezone = "UTC" };

    public string ConnectionString => Builder.ConnectionString;

    public async Task ExecuteAsync(string sql, int timeoutSeconds = 0)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server.ConnectionString);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
    }
}
