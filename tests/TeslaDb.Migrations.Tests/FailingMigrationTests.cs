using TeslaDb.Migrations.Tool;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.TestMigrations.Failing;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>A migration that fails leaves neither its changes nor its version row, and the exit code says so.</summary>
public sealed class FailingMigrationTests
{
    [Fact]
    public async Task Failing_migration_is_rolled_back_whole_and_exits_1()
    {
        await using var db = await TestDatabase.CreateAsync();
        Assert.Equal(0, (await CliRun.InProcessAsync(["up", "--connection", db.ConnectionString])).ExitCode);

        var result = await CliRun.InProcessAsync(["up", "--connection", db.ConnectionString], migrationAssemblies: [typeof(FailsHalfway).Assembly], migrationNamespace: typeof(FailsHalfway).Namespace);

        Assert.Equal(ExitCodes.MigrationFailed, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Migration {FailsHalfway.VersionNumber} (Fails halfway on purpose) failed and was rolled back", line, StringComparison.Ordinal);
        Assert.Contains("division by zero", line, StringComparison.Ordinal);
        // Nothing of the failed migration remains…
        Assert.Null(await db.ScalarAsync($"SELECT to_regclass('public.{FailsHalfway.TableName}')::text"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE version = @v", ("v", FailsHalfway.VersionNumber)));
        // …while the one before it in the same run, in its own transaction, stays applied.
        Assert.Contains($"applied {SucceedsFirst.VersionNumber}", result.Out, StringComparison.Ordinal);
        Assert.NotNull(await db.ScalarAsync($"SELECT to_regclass('public.{SucceedsFirst.TableName}')::text"));
        Assert.Equal(KnownMigrations.Count + 1L, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
    }

    [Fact]
    public async Task Verbose_shows_the_stack_trace_the_plain_run_hides()
    {
        await using var db = await TestDatabase.CreateAsync();
        var assemblies = new[] { typeof(FailsHalfway).Assembly };
        var only = typeof(FailsHalfway).Namespace;

        var plain = await CliRun.InProcessAsync(["up", "--connection", db.ConnectionString], migrationAssemblies: assemblies, migrationNamespace: only);
        var verbose = await CliRun.InProcessAsync(["up", "--verbose", "--connection", db.ConnectionString], migrationAssemblies: assemblies, migrationNamespace: only);

        Assert.Equal(ExitCodes.MigrationFailed, plain.ExitCode);
        Assert.Equal(ExitCodes.MigrationFailed, verbose.ExitCode);
        Assert.DoesNotContain("   at ", plain.Error, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.Error, StringComparison.Ordinal);
        Assert.Contains("SELECT 1 / 0", verbose.Error, StringComparison.Ordinal);
        // FluentMigrator's own log, shown by --verbose, never carries the password either.
        Assert.DoesNotContain(db.Builder.Password!, verbose.All, StringComparison.Ordinal);
    }
}
