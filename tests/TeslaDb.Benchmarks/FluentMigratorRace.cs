using FluentMigrator.Runner;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace TeslaDb.Benchmarks;

/// <summary>
/// The experiment behind docs/migrations.md: FluentMigrator alone, four runners started together on a fresh
/// database, several rounds, TeslaDb's migrations and FluentMigrator's default version table, no lock. Prints each
/// runner's outcome per round. (Not a test: the outcome is a race.)
/// </summary>
internal static class FluentMigratorRace
{
    public static async Task RunAsync(NpgsqlConnectionStringBuilder server, int rounds = 5, int runners = 4)
    {
        for (var round = 0; round < rounds; round++)
        {
            var name = "tesladb_race_" + Guid.NewGuid().ToString("N")[..8];
            await ExecuteAsync(server, $"CREATE DATABASE {name}");
            var target = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
            try
            {
                var outcomes = await Task.WhenAll(Enumerable.Range(0, runners).Select(_ => Task.Run(() => MigrateUp(target))));
                Console.WriteLine($"round {round}: {string.Join(" | ", outcomes)}");
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            }
        }
    }

    private static string MigrateUp(string connectionString)
    {
        using var services = new ServiceCollection()
            .AddFluentMigratorCore()
            .ConfigureRunner(r => r.AddPostgres15_0().WithGlobalConnectionString(connectionString)
                .ScanIn(typeof(TeslaDb.Migrations.Runner.TeslaDbMigrator).Assembly).For.Migrations())
            .AddSingleton(new TeslaDb.Migrations.Schema.MigrationTarget(Supabase: false))
            .BuildServiceProvider();
        using var scope = services.CreateScope();
        try
        {
            scope.ServiceProvider.GetRequiredService<IMigrationRunner>().MigrateUp();
            return "ok";
        }
        catch (Exception e)
        {
            while (e.InnerException is not null)
            {
                e = e.InnerException;
            }

            return e.Message.Split('\n')[0];
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnectionStringBuilder server, string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
