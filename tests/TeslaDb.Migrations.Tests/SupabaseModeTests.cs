using TeslaDb.Migrations.Tool;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>Off Supabase the same migrations apply with none of the Supabase parts; the flag overrides detection.</summary>
public sealed class SupabaseModeTests
{
    private const string RlsTables =
        "SELECT count(*) FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace";

    [Fact]
    public async Task Plain_postgresql_migrates_without_rls_policies_or_auth_link()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);
        var status = await CliRun.InProcessAsync(["status", "-c", db.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(plain PostgreSQL)", status.Out, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>(RlsTables));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_policies"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'fk_tesla_accounts_supabase_user_id'"));
    }

    [Fact]
    public async Task Supabase_off_on_a_supabase_database_applies_none_of_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SupabaseLookalike.InstallAsync(db);

        var result = await CliRun.InProcessAsync(["up", "--supabase", "off", "-c", db.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0L, await db.ScalarAsync<long>(RlsTables));
    }

    [Fact]
    public async Task Supabase_on_without_an_auth_schema_fails_cleanly_and_keeps_the_plain_schema()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await CliRun.InProcessAsync(["up", "--supabase", "on", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.MigrationFailed, result.ExitCode);
        Assert.Contains("Migration 202611251100", result.Error, StringComparison.Ordinal);
        Assert.Contains("schema \"auth\" does not exist", result.Error, StringComparison.Ordinal);
        var status = await new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString }).GetStatusAsync(TestContext.Current.CancellationToken);
        Assert.Equal(202611251050, status.CurrentVersion);
    }

    [Fact]
    public async Task Supabase_database_round_trips_down_and_up()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync();
        await SupabaseLookalike.InstallAsync(db);
        var migrator = new TeslaDbMigrator(new MigratorOptions { ConnectionString = db.ConnectionString });
        await migrator.UpAsync(cancellationToken: ct);
        var once = await SchemaSnapshot.CaptureAsync(db);

        await migrator.DownAsync(202611251050, cancellationToken: ct);
        Assert.Equal(0L, await db.ScalarAsync<long>(RlsTables));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_policies WHERE schemaname = 'public'"));
        await migrator.UpAsync(cancellationToken: ct);

        Assert.Equal(once, await SchemaSnapshot.CaptureAsync(db));
    }

    [Fact]
    public async Task Another_mode_than_the_one_migrated_with_is_refused_as_such_not_as_edited_code()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);
        var before = await SchemaSnapshot.CaptureAsync(db);

        var status = await CliRun.InProcessAsync(["status", "--supabase", "on", "-c", db.ConnectionString]);
        var up = await CliRun.InProcessAsync(["up", "--supabase", "on", "-c", db.ConnectionString]);
        var asMigrated = await CliRun.InProcessAsync(["up", "--supabase", "off", "-c", db.ConnectionString]);

        foreach (var refused in new[] { status, up })
        {
            Assert.Equal(ExitCodes.ChangedMigrations, refused.ExitCode);
            Assert.Contains("This database was migrated with the Supabase parts off (auth.users link, row level security, execute grants) and this run has them on (--supabase on)", refused.Error, StringComparison.Ordinal);
            Assert.Contains("202611251110", refused.Error, StringComparison.Ordinal);
            Assert.Contains("Run with --supabase off", refused.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("changed since they were applied", refused.Error, StringComparison.Ordinal);
        }

        Assert.True(asMigrated.ExitCode == 0, asMigrated.ToString());
        Assert.Equal(before, await SchemaSnapshot.CaptureAsync(db));
    }

    [Fact]
    public async Task A_supabase_database_run_with_supabase_off_is_refused_naming_the_mode_it_was_migrated_with()
    {
        await using var db = await TestDatabase.CreateAsync();
        await SupabaseLookalike.InstallAsync(db);
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);

        var status = await CliRun.InProcessAsync(["status", "--supabase", "off", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.ChangedMigrations, status.ExitCode);
        Assert.Contains("migrated with the Supabase parts on", status.Error, StringComparison.Ordinal);
        Assert.Contains("Run with --supabase on", status.Error, StringComparison.Ordinal);
    }

    // Another migration edited as well, and --allow-changed: still refused for the mode, nothing applied in the wrong one.
    [Fact]
    public async Task The_mode_is_refused_even_beside_an_edited_migration_and_with_allow_changed()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "--to", "202612021000", "-c", db.ConnectionString])).ExitCode);
        await db.ExecuteAsync("UPDATE tesladb.version_info SET checksum = 'edited' WHERE version = 202611251000");
        var applied = await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info");

        var up = await CliRun.InProcessAsync(["up", "--supabase", "on", "--allow-changed", "-c", db.ConnectionString]);

        Assert.Equal(ExitCodes.ChangedMigrations, up.ExitCode);
        Assert.Contains("This database was migrated with the Supabase parts off", up.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("202611251000", up.Error, StringComparison.Ordinal);
        Assert.Equal(applied, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
    }
}
