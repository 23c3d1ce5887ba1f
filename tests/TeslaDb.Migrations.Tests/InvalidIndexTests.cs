using TeslaDb.Migrations.TestMigrations.Concurrent;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A failed CREATE INDEX CONCURRENTLY leaves an invalid index (maintained on every write, never used) that
/// IF NOT EXISTS would keep: verify reports it, and the next up drops it and builds it again.
/// </summary>
public sealed class InvalidIndexTests
{
    private const string InvalidCount = "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid AND c.relname LIKE 'readings%'";

    [Fact]
    public async Task Verify_reports_an_invalid_index_and_the_next_up_rebuilds_it()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ReadingsSetup.CreateWithDuplicateAsync(db);
        Assert.Equal(ExitCodes.MigrationFailed, (await ReadingsSetup.RunAsync("up", "-c", db.ConnectionString)).ExitCode);
        Assert.False(await ReadingsSetup.IsValidAsync(db, IndexReadingsConcurrently.UniqueIndexName));

        var verify = await ReadingsSetup.RunAsync("verify", "-c", db.ConnectionString);

        Assert.Equal(ExitCodes.Drift, verify.ExitCode);
        Assert.Contains($"invalid index: public.{IndexReadingsConcurrently.UniqueIndexName} on readings", verify.Out, StringComparison.Ordinal);

        // Rerun while the duplicate is still there: it fails again and leaves one invalid index, not a second.
        Assert.Equal(ExitCodes.MigrationFailed, (await ReadingsSetup.RunAsync("up", "-c", db.ConnectionString)).ExitCode);
        Assert.Equal(1L, await db.ScalarAsync<long>(InvalidCount));

        await db.ExecuteAsync("DELETE FROM public.readings WHERE id = 1001");
        var up = await ReadingsSetup.RunAsync("up", "-c", db.ConnectionString);

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.True(await ReadingsSetup.IsValidAsync(db, IndexReadingsConcurrently.UniqueIndexName));
        Assert.Equal(0L, await db.ScalarAsync<long>(InvalidCount));
        Assert.Equal(1L, await ReadingsSetup.VersionRowsAsync(db, IndexReadingsConcurrently.VersionNumber));
    }

    [Fact]
    public async Task Verify_json_lists_the_invalid_index()
    {
        await using var db = await TestDatabase.CreateAsync();
        await ReadingsSetup.CreateWithDuplicateAsync(db);
        Assert.Equal(ExitCodes.MigrationFailed, (await ReadingsSetup.RunAsync("up", "-c", db.ConnectionString)).ExitCode);

        var verify = await ReadingsSetup.RunAsync("verify", "--json", "-c", db.ConnectionString);

        Assert.Equal(ExitCodes.Drift, verify.ExitCode);
        var index = Assert.Single(System.Text.Json.JsonDocument.Parse(verify.Out).RootElement.GetProperty("invalidIndexes").EnumerateArray());
        Assert.Equal(IndexReadingsConcurrently.UniqueIndexName, index.GetProperty("name").GetString());
    }
}
