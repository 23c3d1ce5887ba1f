using Npgsql;
using TeslaDb.Migrations.TestMigrations.Concurrent;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// Runs waiting for the migration lock poll for it instead of blocking: a blocked wait holds a snapshot, and the
/// holder's CREATE INDEX CONCURRENTLY waits for every older snapshot, so both would wait until the lock timeout.
/// </summary>
public sealed class LockPollingTests
{
    private const long LockKey = 0x5445_534C_4144_4221;

    [Fact]
    public async Task A_concurrent_index_build_completes_while_other_runs_wait_for_the_lock()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var holder = await db.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(holder, $"SELECT pg_advisory_lock({LockKey})");
        // Three runs queue for the lock; the one that gets it builds the index while the two others still wait. With
        // a blocking pg_advisory_lock the build would wait for them and they for it, until their 60 s ran out (exit 5).
        string[] args = ["up", "--lock-timeout", "60", "--connection", db.ConnectionString];
        var runs = Enumerable.Range(0, 3)
            .Select(_ => CliRun.InProcessAsync(args, migrationAssemblies: [typeof(CreateReadings).Assembly], migrationNamespace: typeof(CreateReadings).Namespace))
            .ToList();
        await Waits.MigrationRunsWaitingAsync(db, 3);

        await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({LockKey})");
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(results, r => Assert.Contains("Waiting for another migration run to finish (backend pid", r.Error, StringComparison.Ordinal));
        Assert.Single(results, r => r.Out.Contains($"applied {IndexReadingsConcurrently.VersionNumber}", StringComparison.Ordinal));
        Assert.True(await db.ScalarAsync<bool>($"SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.{IndexReadingsConcurrently.IndexName}'::regclass"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE version = @v", ("v", IndexReadingsConcurrently.VersionNumber)));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
