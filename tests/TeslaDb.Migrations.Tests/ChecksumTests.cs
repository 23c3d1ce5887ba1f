using TeslaDb.Migrations.Tool;
using TeslaDb.Migrations.TestMigrations.Checksums;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A migration edited after it was applied is noticed: its checksum (of the SQL it generates) no longer matches the
/// one recorded when it ran. The test applies one edition of a test-only migration and runs the tool over another.
/// </summary>
public sealed class ChecksumTests
{
    private static readonly System.Reflection.Assembly[] Assemblies = [typeof(Probe).Assembly];

    private static Task<CliResult> RunAsync(string edition, params string[] args) =>
        CliRun.InProcessAsync(args, migrationAssemblies: Assemblies, migrationNamespace: edition);

    [Fact]
    public async Task Checksums_are_recorded_for_every_applied_migration()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);

        var checksums = await db.ScalarAsync<string[]>("SELECT array_agg(checksum ORDER BY version) FROM tesladb.version_info");

        Assert.Equal(KnownMigrations.Count, checksums.Length);
        Assert.All(checksums, c => Assert.Matches("^[0-9a-f]{64}$", c));
        Assert.Equal(checksums.Length, checksums.Distinct().Count());
    }

    [Fact]
    public async Task An_edited_migration_is_reported_by_status_and_verify_and_stops_up_unless_allowed()
    {
        await using var db = await TestDatabase.CreateAsync();
        var applied = await RunAsync(Probe.OriginalNamespace, "up", "-c", db.ConnectionString);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var unchanged = await RunAsync(Probe.OriginalNamespace, "status", "--exit-code", "-c", db.ConnectionString);
        Assert.Equal(0, unchanged.ExitCode);

        var status = await RunAsync(Probe.EditedNamespace, "status", "--exit-code", "-c", db.ConnectionString);
        var verify = await RunAsync(Probe.EditedNamespace, "verify", "-c", db.ConnectionString);
        var up = await RunAsync(Probe.EditedNamespace, "up", "-c", db.ConnectionString);
        var allowed = await RunAsync(Probe.EditedNamespace, "up", "--allow-changed", "-c", db.ConnectionString);

        Assert.Equal(ExitCodes.ChangedMigrations, status.ExitCode);
        Assert.Contains($"{Probe.Version}  CHANGED", status.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Drift, verify.ExitCode);
        Assert.Contains($"changed migration: {Probe.Version} (Add probe)", verify.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.ChangedMigrations, up.ExitCode);
        Assert.Contains($"Refused: applied migration(s) {Probe.Version} (Add probe) changed since they were applied", up.Error, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        // The edit never ran here: the table still has the original column type.
        Assert.Equal("integer", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'probe' AND column_name = 'id'"));
    }

    [Fact]
    public async Task A_version_table_from_before_checksums_is_read_then_upgraded_and_backfilled()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "-c", db.ConnectionString])).ExitCode);
        await db.ExecuteAsync("ALTER TABLE tesladb.version_info DROP COLUMN checksum");

        var status = await CliRun.InProcessAsync(["status", "--exit-code", "-c", db.ConnectionString]);
        var up = await CliRun.InProcessAsync(["up", "-c", db.ConnectionString]);

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE checksum ~ '^[0-9a-f]{64}$'"));
    }
}
