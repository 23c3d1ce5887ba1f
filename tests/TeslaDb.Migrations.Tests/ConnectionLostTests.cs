using Npgsql;
using TeslaDb.Migrations.TestMigrations.Blocked;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>The server ends the migration's session mid-migration (pg_terminate_backend, a failover): the message
/// says the connection was lost, the migration rolled back, and to run up again (it used to say "NpgsqlTransaction").</summary>
public sealed class ConnectionLostTests
{
    [Fact]
    public async Task A_backend_terminated_mid_migration_says_the_connection_was_lost_and_a_rerun_applies_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        var created = await RunAsync(db, "--to", CreateGauges.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(created.ExitCode == 0, created.ToString());
        // An app transaction makes the ALTER TABLE wait, so the migration is surely mid-way when its backend ends.
        await using var app = await db.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await app.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM public.gauges", app, transaction))
        {
            await read.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        var run = RunAsync(db, "--step-lock-timeout", "120");
        const string Waiting = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'ALTER TABLE%'";
        await Waits.UntilAsync(async () => await db.ScalarAsync(Waiting) is not null, "the migration waits for its lock");
        await db.ExecuteAsync($"SELECT pg_terminate_backend(({Waiting}))");
        var result = await run;

        Assert.Equal(ExitCodes.MigrationFailed, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"The connection to the database was lost while migration {AddGaugeUnit.VersionNumber} (Add a column to gauges) ran; PostgreSQL rolled the migration back", line, StringComparison.Ordinal);
        Assert.Contains("run up again", line, StringComparison.Ordinal);
        Assert.DoesNotContain("NpgsqlTransaction", line, StringComparison.Ordinal);

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        var rerun = await RunAsync(db);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE version = @v", ("v", AddGaugeUnit.VersionNumber)));
    }

    private static Task<CliResult> RunAsync(TestDatabase db, params string[] args) =>
        CliRun.InProcessAsync(["up", "-c", db.ConnectionString, .. args], migrationAssemblies: [typeof(CreateGauges).Assembly], migrationNamespace: typeof(CreateGauges).Namespace);
}
