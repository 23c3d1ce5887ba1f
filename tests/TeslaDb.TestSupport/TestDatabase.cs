using Npgsql;
using TeslaDb.Connection;

namespace TeslaDb.TestSupport;

/// <summary>A database of its own, created empty and dropped on dispose, so that test classes run in parallel
/// without sharing state.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _server;

    private TestDatabase(NpgsqlConnectionStringBuilder server, string name)
    {
        _server = server;
        Name = name;
        Builder = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name, Pooling = true };
    }

    public string Name { get; }

    /// <summary>A copy to change freely (tests build wrong-password variants from it).</summary>
    public NpgsqlConnectionStringBuilder Builder { get; }

    public string ConnectionString => Builder.ConnectionString;

    /// <summary>The same database as a postgresql:// URL, the form Supabase hands out.</summary>
    public string Url =>
        $"postgresql://{Uri.EscapeDataString(Builder.Username ?? "postgres")}:{Uri.EscapeDataString(Builder.Password ?? string.Empty)}@{Builder.Host}:{Builder.Port}/{Uri.EscapeDataString(Name)}";

    /// <summary>user@host:port/db, as the tools print it.</summary>
    public string Description => TeslaDbConnectionString.Describe(Builder);

    public static async Task<TestDatabase> CreateAsync() => await CreateAsync(await PostgresServer.GetAsync());

    /// <summary>A new empty database on another server than the shared one (a <see cref="PrivateCluster"/>).</summary>
    public static async Task<TestDatabase> CreateAsync(NpgsqlConnectionStringBuilder server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var name = "tesladb_test_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = await OpenMaintenanceAsync(server);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new TestDatabase(server, name);
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs SQL and returns the first column of the first row (or null).</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is DBNull ? null : result;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters) =>
        (T)(await ScalarAsync(sql, parameters))!;

    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var connection = await OpenMaintenanceAsync(_server);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenMaintenanceAsync(NpgsqlConnectionStringBuilder server)
    {
        var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
