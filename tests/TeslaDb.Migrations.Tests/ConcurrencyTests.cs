using Npgsql;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>Several runs at once (CI jobs, app instances): each migration is applied once and every run succeeds.</summary>
public sealed class ConcurrencyTests
{
    private const long LockKey = 0x5445_534C_4144_4221;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Processes_running_up_at_once_apply_each_migration_once_and_all_exit_0(int runs)
    {
        await using var db = await TestDatabase.CreateAsync();
        var processes = Enumerable.Range(0, runs)
            .Select(_ => CliRun.Start(["up", "--json"], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = db.Url }))
            .ToList();

        var results = await Task.WhenAll(processes.Select(CliRun.WaitAsync));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        // Every migration was applied by exactly one of the runs…
        var appliedByRuns = results.Sum(r => System.Text.Json.JsonDocument.Parse(r.Out).RootElement.GetProperty("migrations").GetArrayLength());
        Assert.Equal(KnownMigrations.Count, appliedByRuns);
        // …and recorded once.
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(DISTINCT version) FROM tesladb.version_info"));
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
    }

    [Fact]
    public async Task A_run_waits_for_the_lock_says_so_and_finishes_when_it_is_released()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var holder = await db.OpenAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", holder))
        {
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var waiting = CliRun.Start(["up"], new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = db.ConnectionString });
        // The waiting run is visible in pg_stat_activity, polling for the lock, before we let it go.
        await Waits.MigrationRunsWaitingAsync(db, 1);
        Assert.Null(await db.ScalarAsync("SELECT to_regclass('public.tesla_accounts')::text"));
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", holder))
        {
            await release.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var result = await CliRun.WaitAsync(waiting);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Waiting for another migration run to finish (backend pid", result.Error, StringComparison.Ordinal);
        Assert.Contains($"applied {KnownMigrations.Latest}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_waits_past_the_lock_timeout_exits_5_and_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var holder = await db.OpenAsync(TestContext.Current.CancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", holder))
        {
            await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var result = await CliRun.InProcessAsync(["up", "--lock-timeout", "1", "--connection", db.ConnectionString]);

        Assert.Equal(ExitCodes.LockTimeout, result.ExitCode);
        Assert.Contains("still holds the migration lock after 1 s", result.Error, StringComparison.Ordinal);
        Assert.Null(await db.ScalarAsync("SELECT to_regclass('tesladb.version_info')::text"));
    }
}
