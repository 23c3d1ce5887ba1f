using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>Waiting for a condition itself (never a fixed time): CI runs the suites in parallel on 2 cores.</summary>
internal static class Waits
{
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Until <paramref name="runs"/> runs are polling for the migration lock (their last query in pg_stat_activity).</summary>
    public static Task MigrationRunsWaitingAsync(TestDatabase db, int runs) => UntilAsync(
        async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%waiting for the migration lock%'") == runs,
        $"{runs} run(s) wait for the migration lock");
}
