using TeslaDb.Migrations.Tool;
using TeslaDb.Migrations.Scheduling;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// schedule-cleanup with the real pg_cron (Debian's postgresql-15-cron, preloaded by scripts/dev-db.sh; its jobs live
/// in database postgres, so a job for another database is made with cron.schedule_in_database).
/// </summary>
public sealed class ScheduleCleanupTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>, IAsyncLifetime
{
    private readonly TestDatabase _db = fixture.Database;

    public async ValueTask InitializeAsync()
    {
        // What a DBA does once per server: pg_cron is created in its own database.
        var server = await PostgresServer.GetAsync();
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT current_setting('cron.database_name', true)", connection);
        Assert.True(await command.ExecuteScalarAsync() is string, "pg_cron is not preloaded on the test server: run the tests with scripts/test.sh (it installs postgresql-15-cron).");
        command.CommandText = "SELECT pg_advisory_xact_lock(4243); CREATE EXTENSION IF NOT EXISTS pg_cron";
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync() => await CleanupSchedule.UnscheduleAsync(_db.ConnectionString);

    private async Task<(string Schedule, string Command, string Database, long Count)> JobAsync()
    {
        var server = await PostgresServer.GetAsync();
        await using var connection = new Npgsql.NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT schedule, command, database, count(*) OVER () FROM cron.job WHERE jobname = @name", connection);
        command.Parameters.AddWithValue("name", $"{CleanupSchedule.BaseJobName}/{_db.Name}");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        return await reader.ReadAsync(TestContext.Current.CancellationToken)
            ? (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3))
            : (string.Empty, string.Empty, string.Empty, 0);
    }

    [Theory]
    [InlineData("1m", "* * * * *")]
    [InlineData("15m", "*/15 * * * *")]
    [InlineData("30min", "*/30 * * * *")]
    [InlineData("1h", "0 * * * *")]
    [InlineData("6h", "0 */6 * * *")]
    [InlineData("1d", "0 0 * * *")]
    public void Intervals_become_cron_expressions(string every, string cron) => Assert.Equal(cron, CleanupSchedule.ToCron(every));

    [Theory]
    [InlineData("7m")]
    [InlineData("5h")]
    [InlineData("2d")]
    [InlineData("soon")]
    public async Task Uneven_intervals_are_a_usage_error(string every)
    {
        var result = await CliRun.InProcessAsync(["schedule-cleanup", "--every", every, "-c", _db.ConnectionString]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("is not an interval cron can repeat evenly", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schedule_replaces_then_unschedule_removes_the_job()
    {
        var first = await CliRun.InProcessAsync(["schedule-cleanup", "--every", "15m", "-c", _db.ConnectionString]);
        var second = await CliRun.InProcessAsync(["schedule-cleanup", "--every", "1h", "-c", _db.ConnectionString]);
        var job = await JobAsync();

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("at '0 * * * *': CALL public.cleanup_expired_cache_in_batches(5000)", second.Out, StringComparison.Ordinal);
        Assert.Equal(("0 * * * *", CleanupSchedule.Command(CleanupSchedule.DefaultBatchSize), _db.Name, 1L), job);

        var removed = await CliRun.InProcessAsync(["unschedule", "-c", _db.ConnectionString]);
        var again = await CliRun.InProcessAsync(["unschedule-cleanup", "-c", _db.ConnectionString]);

        Assert.Contains("Unscheduled the cleanup", removed.Out, StringComparison.Ordinal);
        Assert.Contains("nothing to do", again.Out, StringComparison.Ordinal);
        Assert.Equal(0L, (await JobAsync()).Count);
    }

    [Fact]
    public async Task Batch_size_goes_into_the_jobs_call()
    {
        var result = await CliRun.InProcessAsync(["schedule-cleanup", "--every", "15m", "--batch-size", "1000", "-c", _db.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(("*/15 * * * *", "CALL public.cleanup_expired_cache_in_batches(1000)", _db.Name, 1L), await JobAsync());
    }

    [Fact]
    public async Task The_scheduled_job_really_runs_the_cleanup()
    {
        var account = await _db.ScalarAsync<Guid>("INSERT INTO tesla_accounts (supabase_user_id, account_name) VALUES (gen_random_uuid(), 'cron') RETURNING id");
        var vehicle = await _db.ScalarAsync<Guid>("INSERT INTO vehicles (tesla_account_id, tesla_id, vin, vehicle_data) VALUES (@a, 77, 'LRWYGCEK2NC123456', '{}') RETURNING id", ("a", account));
        await _db.ExecuteAsync(
            "INSERT INTO vehicle_data_cache (tesla_account_id, vehicle_id, endpoint_name, response_data, expires_at) VALUES (@a, @v, 'charge_state', '{}', now() - interval '1 hour'), (@a, @v, 'gui_settings', '{}', NULL)",
            ("a", account), ("v", vehicle));

        // pg_cron 1.4 runs at minute boundaries: "every minute" is the quickest real run.
        var scheduled = await CliRun.InProcessAsync(["schedule-cleanup", "--every", "1m", "-c", _db.ConnectionString]);
        Assert.True(scheduled.ExitCode == 0, scheduled.ToString());

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE endpoint_name = 'charge_state'") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "pg_cron did not run the cleanup within 90 s");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1L, await _db.ScalarAsync<long>("SELECT count(*) FROM vehicle_data_cache WHERE endpoint_name = 'gui_settings'"));
    }

    [Fact]
    public async Task An_unmigrated_database_is_told_to_run_up()
    {
        await using var empty = await TestDatabase.CreateAsync();

        var result = await CliRun.InProcessAsync(["schedule-cleanup", "--every", "15m", "-c", empty.ConnectionString]);

        Assert.Equal(ExitCodes.PendingMigrations, result.ExitCode);
        Assert.Contains("run 'tesladb-migrate up' first", result.Error, StringComparison.Ordinal);
    }
}
