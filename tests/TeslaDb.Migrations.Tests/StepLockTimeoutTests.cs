using Npgsql;
using TeslaDb.Migrations.Runner;
using TeslaDb.Migrations.TestMigrations.Blocked;
using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// A migration whose ALTER TABLE queues behind an app's open transaction gives up after the step lock timeout
/// (so it never stalls the app's queries on that table for long), is rolled back, retried with back-off, and in the
/// end fails with one line naming the table and the blocking session.
/// </summary>
public sealed class StepLockTimeoutTests
{
    private static readonly IReadOnlyList<System.Reflection.Assembly> Assemblies = [typeof(CreateGauges).Assembly];
    private static readonly string Namespace = typeof(CreateGauges).Namespace!;

    [Fact]
    public async Task A_step_blocked_on_every_attempt_is_retried_then_exits_11_naming_the_table_and_the_blocker()
    {
        await using var db = await TestDatabase.CreateAsync();
        await CreateGaugesAsync(db);
        await using var blocker = await HoldAccessShareAsync(db);

        var result = await CliRun.InProcessAsync(
            ["up", "--step-lock-timeout", "1", "--step-lock-attempts", "3", "--connection", db.ConnectionString], migrationAssemblies: Assemblies, migrationNamespace: Namespace);

        Assert.Equal(ExitCodes.StepLockTimeout, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Two retries announced, then the one line of the failure.
        Assert.Equal(2, lines.Count(l => l.Contains("retrying in", StringComparison.Ordinal)));
        var failure = lines[^1];
        Assert.Contains($"Migration {AddGaugeUnit.VersionNumber} (Add a column to gauges) could not lock gauges within 1 s in 3 attempt(s) and was rolled back", failure, StringComparison.Ordinal);
        Assert.Contains($"blocked by backend pid {blocker.Pid} (step-lock-blocker, idle in transaction", failure, StringComparison.Ordinal);
        Assert.Contains("--step-lock-timeout", failure, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info WHERE version = @v", ("v", AddGaugeUnit.VersionNumber)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'gauges' AND column_name = 'unit'"));
    }

    [Fact]
    public async Task A_step_succeeds_on_retry_once_the_blocking_transaction_ends()
    {
        await using var db = await TestDatabase.CreateAsync();
        await CreateGaugesAsync(db);
        await using var blocker = await HoldAccessShareAsync(db);
        var retries = new List<StepRetry>();
        var migrator = new TeslaDbMigrator(new MigratorOptions
        {
            ConnectionString = db.ConnectionString,
            MigrationAssemblies = Assemblies,
            MigrationNamespace = Namespace,
            // Long enough for the watch (a look every 250 ms) to see the wait on a loaded 2-core CI machine.
            StepLockTimeout = TimeSpan.FromSeconds(1),
            StepRetryDelay = TimeSpan.FromMilliseconds(10),
            // The app's transaction ends after the first attempt timed out, before the retry.
            OnStepRetry = retry =>
            {
                retries.Add(retry);
                blocker.Commit();
            },
        });

        var run = await migrator.UpAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(AddGaugeUnit.VersionNumber, Assert.Single(run.Steps).Version);
        var retry = Assert.Single(retries);
        Assert.Equal("gauges", retry.Table);
        Assert.Equal(blocker.Pid, Assert.Single(retry.Blockers).Pid);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'gauges' AND column_name = 'unit'"));
    }

    private static async Task CreateGaugesAsync(TestDatabase db)
    {
        var created = await CliRun.InProcessAsync(["up", "--to", CreateGauges.VersionNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), "--connection", db.ConnectionString], migrationAssemblies: Assemblies, migrationNamespace: Namespace);
        Assert.True(created.ExitCode == 0, created.ToString());
    }

    /// <summary>An app's transaction that read the table and stays open: it holds ACCESS SHARE, which ALTER TABLE waits for.</summary>
    private static async Task<Blocker> HoldAccessShareAsync(TestDatabase db)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "step-lock-blocker", Pooling = false }.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM public.gauges", connection, transaction))
        {
            await read.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        return new Blocker(connection, transaction);
    }

    private sealed class Blocker(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public int Pid => connection.ProcessID;

        public void Commit() => transaction.Commit();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
