using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>Down really undoes Up: up → down to 0 → up gives the schema of a single up, and so does the script.</summary>
public sealed class RoundTripTests
{
    private static TeslaDbMigrator Migrator(TestDatabase db) => new(new MigratorOptions { ConnectionString = db.ConnectionString });

    [Fact]
    public async Task Up_down_to_zero_up_gives_the_schema_of_a_single_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var once = await TestDatabase.CreateAsync();
        await using var twice = await TestDatabase.CreateAsync();
        await Migrator(once).UpAsync(cancellationToken: ct);

        await Migrator(twice).UpAsync(cancellationToken: ct);
        var reverted = await Migrator(twice).DownAsync(0, cancellationToken: ct);
        Assert.Equal(KnownMigrations.Count, reverted.Steps.Count);
        Assert.Equal(0, reverted.Status.CurrentVersion);
        var afterDown = await SchemaSnapshot.CaptureAsync(twice);
        await Migrator(twice).UpAsync(cancellationToken: ct);

        Assert.Equal(await SchemaSnapshot.CaptureAsync(once), await SchemaSnapshot.CaptureAsync(twice));
        // Down to 0 leaves only the version table and tokens (kept on purpose, with its original columns).
        Assert.DoesNotContain("tesla_accounts", afterDown, StringComparison.Ordinal);
        Assert.DoesNotContain("vehicle", afterDown, StringComparison.Ordinal);
        Assert.DoesNotContain("tesla_account_id", afterDown, StringComparison.Ordinal);
        Assert.Contains("column public.tokens #1 key text not null", afterDown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_to_a_version_reverts_only_what_is_above_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await Migrator(db).UpAsync(cancellationToken: ct);

        var reverted = await Migrator(db).DownAsync(202611251020, cancellationToken: ct);

        // Every migration above the target, newest first (read from the assembly: a new migration needs no edit here).
        Assert.Equal(KnownMigrations.Versions.Where(v => v > 202611251020L).OrderDescending(), reverted.Steps.Select(s => s.Version));
        Assert.Contains(202611251030L, reverted.Steps.Select(s => s.Version));
        var status = await Migrator(db).GetStatusAsync(ct);
        Assert.Equal([202611251000L, 202611251010L, 202611251020L], status.Migrations.Where(m => m.IsApplied).Select(m => m.Version));
        Assert.Null(await db.ScalarAsync("SELECT to_regclass('public.vehicle_data_cache')::text"));
        Assert.NotNull(await db.ScalarAsync("SELECT to_regclass('public.vehicles')::text"));
    }

    [Fact]
    public async Task The_printed_script_run_by_itself_builds_the_same_schema_as_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var migrated = await TestDatabase.CreateAsync();
        await using var scripted = await TestDatabase.CreateAsync();
        await Migrator(migrated).UpAsync(cancellationToken: ct);

        var script = await CliRun.InProcessAsync(["script", "--connection", scripted.ConnectionString, "--step-lock-timeout", "2.5", "--statement-timeout", "600"]);
        Assert.Equal(0, script.ExitCode);
        // Run by hand, the script is bounded as 'up' is: the step limits come before any DDL.
        var lines = script.Out.Split('\n');
        Assert.True(Array.IndexOf(lines, "SET lock_timeout = 2500;") is > 0 and var at && at < Array.IndexOf(lines, "BEGIN;"), script.Out);
        Assert.Contains("SET statement_timeout = 600000;", lines);
        // One transaction per migration that has one, plus the version table's; the concurrent-index ones have none.
        Assert.Equal(KnownMigrations.Transactional + 1, script.Out.Split('\n').Count(line => line == "BEGIN;"));
        Assert.Equal(KnownMigrations.Transactional + 1, script.Out.Split('\n').Count(line => line == "COMMIT;"));
        Assert.Equal(0L, await scripted.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'tesladb')"));

        // What a DBA does with it: hand it to psql, which sends one statement at a time (CREATE INDEX CONCURRENTLY
        // cannot run in the implicit transaction of a multi-statement batch).
        await RunPsqlAsync(scripted, script.Out);

        Assert.Equal(await SchemaSnapshot.CaptureAsync(migrated), await SchemaSnapshot.CaptureAsync(scripted));
        Assert.Equal((long)KnownMigrations.Count, await scripted.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
        var status = await Migrator(scripted).GetStatusAsync(ct);
        Assert.True(status.IsUpToDate);
    }

    [Fact]
    public async Task Up_twice_applies_nothing_the_second_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        var first = await Migrator(db).UpAsync(cancellationToken: ct);
        var second = await Migrator(db).UpAsync(cancellationToken: ct);

        Assert.Equal(KnownMigrations.Count, first.Steps.Count);
        Assert.True(first.Status.IsUpToDate);
        Assert.Empty(second.Steps);
        Assert.Equal(KnownMigrations.Latest, second.Status.CurrentVersion);
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
    }

    private static async Task RunPsqlAsync(TestDatabase db, string script)
    {
        var start = new System.Diagnostics.ProcessStartInfo("psql") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PGHOST"] = db.Builder.Host;
        start.Environment["PGPORT"] = db.Builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = db.Builder.Username;
        start.Environment["PGPASSWORD"] = db.Builder.Password;
        start.Environment["PGDATABASE"] = db.Name;
        using var psql = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("psql did not start (install the PostgreSQL client)");
        await psql.StandardInput.WriteAsync(script);
        psql.StandardInput.Close();
        var output = psql.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await psql.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await output;
        await psql.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(psql.ExitCode == 0, error);
    }
}
