using Npgsql;
using Terminal.Gui.Input;
using TeslaDb.Admin.Core;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>The health view reports the seeded facts: the four tables, a lock held on one, no pg_cron, the cache by age.</summary>
public sealed class HealthTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Health_shows_the_four_tables_a_held_lock_the_missing_pg_cron_and_the_cache_by_age()
    {
        var ct = TestContext.Current.CancellationToken;
        var seeded = await fixture.SeedAccountAsync("health@example.com", vehicles: 2, expiredPerVehicle: 1);
        await using (var old = new NpgsqlCommand(
            "UPDATE vehicle_data_cache SET last_fetched_at = now() - interval '2 days' WHERE vehicle_id = @v AND endpoint_name = 'drive_state'",
            await OpenAsync(ct)))
        {
            old.Parameters.AddWithValue("v", seeded.Vehicles[0].Id);
            Assert.Equal(1, await old.ExecuteNonQueryAsync(ct));
        }

        // Another session holds a SHARE lock on vehicles (what CREATE INDEX without CONCURRENTLY would take).
        await using var holder = await OpenAsync(ct);
        await using var transaction = await holder.BeginTransactionAsync(ct);
        await using (var lockIt = new NpgsqlCommand("LOCK TABLE public.vehicles IN SHARE MODE", holder, transaction))
        {
            await lockIt.ExecuteNonQueryAsync(ct);
        }

        await using var session = fixture.Session();
        var report = await HealthReport.LoadAsync(session, ct);
        var rows = report.Rows.Select(r => string.Join(" | ", r)).ToList();

        foreach (var table in new[] { "tesla_accounts", "tokens", "vehicles", "vehicle_data_cache" })
        {
            Assert.Contains(rows, r => r.StartsWith($"table | {table} | table ", StringComparison.Ordinal) && r.Contains("bloat ≈", StringComparison.Ordinal));
        }

        Assert.Contains(rows, r => r.StartsWith("lock | pid ", StringComparison.Ordinal) && r.Contains("ShareLock on vehicles (held)", StringComparison.Ordinal));
        Assert.Contains("pg_cron | cleanup job | pg_cron is not installed: nothing runs cleanup_expired_cache() on a schedule here", rows);
        Assert.Contains("cache age | fetched < 5 min | 11", rows);
        Assert.Contains("cache age | over 1 day | 1", rows);
        Assert.Contains("cache age | expired now | 2", rows);
        await transaction.RollbackAsync(ct);

        var outcome = Run(session,
        [
            When("rows 1–", new Key('h')),
            When("┥Health┝", Key.Esc),
            When("health closed", s => !s.Contains("┥Health┝", StringComparison.Ordinal), new Key('q')),
        ], width: 200, height: 40);
        var health = outcome.Screens.Last(s => s.Contains("┥Health┝", StringComparison.Ordinal));
        Assert.Contains("vehicle_data_cache", health, StringComparison.Ordinal);
        Assert.Contains("pg_cron is not installed", health, StringComparison.Ordinal);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}
