using Npgsql;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>A run killed mid-way (SIGKILL: no clean-up code runs) leaves a database the next run finishes normally.</summary>
public sealed class InterruptedRunTests
{
    [Fact]
    public async Task Up_killed_mid_migration_then_rerun_applies_each_migration_once_and_the_same_schema()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var clean = await TestDatabase.CreateAsync();
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = clean.ConnectionString }).UpAsync(cancellationToken: ct);
        await using var db = await TestDatabase.CreateAsync();
        // A legacy tokens table, held locked by another session: the tokens migration blocks inside its transaction.
        await db.ExecuteAsync("CREATE TABLE tokens (key text NOT NULL CONSTRAINT tokens_pkey PRIMARY KEY, token_data jsonb NOT NULL, expires_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
        await using var blocker = await db.OpenAsync(ct);
        await using var transaction = await blocker.BeginTransactionAsync(ct);
        await using (var lockTokens = new NpgsqlCommand("LOCK TABLE tokens IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockTokens.ExecuteNonQueryAsync(ct);
        }

        // A step lock timeout longer than the test: the migration must still be waiting when the test strikes.
        var run = CliRun.Start(["up", "--step-lock-timeout", "600"], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = db.ConnectionString });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await db.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE relation = 'public.tokens'::regclass AND NOT granted") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run never reached the tokens migration");
            await Task.Delay(50, ct);
        }

        run.Kill(entireProcessTree: true);
        await run.WaitForExitAsync(ct);
        await transaction.RollbackAsync(ct);
        // The server notices the dead client; until then its backends may still hold the migration lock.
        await db.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'tesladb-migrate'");

        var applied = await db.ScalarAsync<long[]>("SELECT array_agg(version ORDER BY version) FROM tesladb.version_info");
        Assert.Equal(new[] { 202611251000L }, applied);
        Assert.Null(await db.ScalarAsync("SELECT 1 FROM information_schema.columns WHERE table_name = 'tokens' AND column_name = 'tesla_account_id'"));

        var rerun = await CliRun.ProcessAsync(["up"], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = db.ConnectionString });

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(DISTINCT version) FROM tesladb.version_info"));
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE checksum IS NOT NULL"));
        Assert.Equal(await SchemaSnapshot.CaptureAsync(clean), await SchemaSnapshot.CaptureAsync(db));
    }
}
