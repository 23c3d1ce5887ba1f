using Npgsql;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// The server restarted (cleanly, or crashed) while <c>up</c> is in the middle of a migration: the run fails, the
/// interrupted migration left nothing, and the next <c>up</c> applies each migration once, ending with the schema of
/// a clean <c>up</c>. Runs on a cluster of its own: the shared test server cannot be restarted.
/// </summary>
public sealed class ServerRestartTests
{
    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task Server_restarted_mid_migration_then_up_again_applies_each_migration_once_and_the_same_schema(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await PrivateCluster.StartAsync();
        await using var clean = await cluster.CreateDatabaseAsync();
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = clean.ConnectionString }).UpAsync(cancellationToken: ct);
        await using var db = await cluster.CreateDatabaseAsync();

        // A legacy tokens table, held locked by another session: the tokens migration blocks inside its transaction.
        await db.ExecuteAsync("CREATE TABLE tokens (key text NOT NULL CONSTRAINT tokens_pkey PRIMARY KEY, token_data jsonb NOT NULL, expires_at timestamptz, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
        await db.ExecuteAsync("INSERT INTO tokens (key, token_data) VALUES ('user_token:legacy', '{\"refresh_token\": \"r\"}')");
        var blocker = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await blocker.OpenAsync(ct);
        await using (var lockTokens = new NpgsqlCommand("BEGIN; LOCK TABLE tokens IN ACCESS EXCLUSIVE MODE", blocker))
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

        await cluster.RestartAsync(mode);
        var interrupted = await CliRun.WaitAsync(run);
        await blocker.DisposeAsync();

        // Exit 1: the run failed (its connection died with the server) after applying the migrations before the blocked one.
        Assert.True(interrupted.ExitCode == 1, interrupted.ToString());
        Assert.DoesNotContain("applied 202611251010", interrupted.Out, StringComparison.Ordinal);
        Assert.Equal(new[] { 202611251000L }, await db.ScalarAsync<long[]>("SELECT array_agg(version ORDER BY version) FROM tesladb.version_info"));
        Assert.Null(await db.ScalarAsync("SELECT 1 FROM information_schema.columns WHERE table_name = 'tokens' AND column_name = 'tesla_account_id'"));

        var rerun = await CliRun.ProcessAsync(["up"], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = db.ConnectionString });

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(DISTINCT version) FROM tesladb.version_info"));
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE checksum IS NOT NULL"));
        Assert.Equal("user_token:legacy", await db.ScalarAsync<string>("SELECT key FROM tokens"));
        Assert.Equal(await SchemaSnapshot.CaptureAsync(clean), await SchemaSnapshot.CaptureAsync(db));
    }
}
