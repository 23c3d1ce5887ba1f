using Npgsql;
using TeslaDb.Connection;
using Testcontainers.PostgreSql;

namespace TeslaDb.TestSupport;

/// <summary>
/// The PostgreSQL server the tests use: <c>TESLADB_TEST_CONNECTION</c> when set (scripts/test.sh sets it to a
/// throwaway cluster), else a Testcontainers PostgreSQL when a Docker engine answers, else a clear failure.
/// The connection must be allowed to create and drop databases.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "TESLADB_TEST_CONNECTION";

    private static readonly Lazy<Task<NpgsqlConnectionStringBuilder>> Server = new(FindAsync);

    /// <summary>The administrative connection (to the server's maintenance database).</summary>
    public static Task<NpgsqlConnectionStringBuilder> GetAsync() => Server.Value;

    private static async Task<NpgsqlConnectionStringBuilder> FindAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return TeslaDbConnectionString.Parse(configured);
        }

        PostgreSqlContainer container;
        try
        {
            container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL for the tests: run scripts/test.sh (it starts a throwaway cluster), or set {EnvironmentVariable}, or start a Docker engine for Testcontainers. ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})",
                e);
        }

        // The container lives as long as the test process; Testcontainers' reaper removes it afterwards.
        return new NpgsqlConnectionStringBuilder(container.GetConnectionString());
    }
}
