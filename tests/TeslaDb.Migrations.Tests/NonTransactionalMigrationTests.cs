using TeslaDb.Migrations.TestMigrations.Concurrent;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A migration declared <c>TransactionBehavior.None</c> runs each Execute.Sql as its own command outside any
/// transaction (so CREATE INDEX CONCURRENTLY works: inside one it fails with 25001), under the same step limits, and
/// its version row is written only once every statement succeeded.
/// </summary>
public sealed class NonTransactionalMigrationTests
{
    [Fact]
    public async Task Builds_indexes_concurrently_outside_a_transaction_under_the_step_limits()
    {
        await using var db = await TestDatabase.CreateAsync();

        var result = await ReadingsSetup.RunAsync("up", "--step-lock-timeout", "2", "--statement-timeout", "30", "-c", db.ConnectionString);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(await ReadingsSetup.IsValidAsync(db, IndexReadingsConcurrently.IndexName));
        Assert.True(await ReadingsSetup.IsValidAsync(db, IndexReadingsConcurrently.UniqueIndexName));
        Assert.Equal("2s", await db.ScalarAsync<string>($"SELECT lock_timeout FROM public.{IndexReadingsConcurrently.SettingsTable}"));
        Assert.Equal("30s", await db.ScalarAsync<string>($"SELECT statement_timeout FROM public.{IndexReadingsConcurrently.SettingsTable}"));
        Assert.Equal(1L, await ReadingsSetup.VersionRowsAsync(db, IndexReadingsConcurrently.VersionNumber));
    }

    [Fact]
    public async Task A_failure_halfway_keeps_the_completed_statements_and_records_no_version()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ReadingsSetup.CreateWithDuplicateAsync(db);

        var result = await ReadingsSetup.RunAsync("up", "-c", db.ConnectionString);

        Assert.Equal(ExitCodes.MigrationFailed, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Migration {IndexReadingsConcurrently.VersionNumber} (Index readings concurrently) failed and stopped; it runs outside a transaction, so its completed statements stay and a rerun resumes", line, StringComparison.Ordinal);
        Assert.Contains("could not create unique index", line, StringComparison.Ordinal);
        // The first statement completed and stays; the third never ran; the migration is not recorded.
        Assert.True(await ReadingsSetup.IsValidAsync(db, IndexReadingsConcurrently.IndexName));
        Assert.Null(await db.ScalarAsync($"SELECT to_regclass('public.{IndexReadingsConcurrently.SettingsTable}')::text"));
        Assert.Equal(0L, await ReadingsSetup.VersionRowsAsync(db, IndexReadingsConcurrently.VersionNumber));
    }
}
