using TeslaDb.Migrations.Tool;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary><c>up</c> through a transaction-mode pooler refuses and explains; through a session-mode pooler it works.</summary>
public sealed class PoolerTests
{
    [Fact]
    public async Task Up_through_pgbouncer_in_transaction_mode_refuses_with_exit_9_and_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var bouncer = await PgBouncer.StartAsync(db, "transaction");

        var result = await CliRun.InProcessAsync(["up", "-c", bouncer.ConnectionString]);

        Assert.Equal(ExitCodes.TransactionPooler, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"127.0.0.1:{bouncer.Builder.Port} is a transaction-mode pooler", line, StringComparison.Ordinal);
        Assert.Contains("session-mode pooler", line, StringComparison.Ordinal);
        Assert.Null(await db.ScalarAsync("SELECT to_regclass('tesladb.version_info')::text"));
    }

    [Fact]
    public async Task Up_through_pgbouncer_in_session_mode_works()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var bouncer = await PgBouncer.StartAsync(db, "session");

        var result = await CliRun.InProcessAsync(["up", "-c", bouncer.ConnectionString]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal((long)KnownMigrations.Count, await db.ScalarAsync<long>("SELECT count(*) FROM tesladb.version_info"));
    }

    [Fact]
    public async Task Supabase_transaction_pooler_address_is_refused_before_connecting()
    {
        var result = await CliRun.InProcessAsync(["up", "-c", "postgresql://postgres.abcdefghijkl:pw@aws-0-eu-west-1.pooler.supabase.com:6543/postgres"]);

        Assert.Equal(ExitCodes.TransactionPooler, result.ExitCode);
        Assert.Contains("aws-0-eu-west-1.pooler.supabase.com:6543 is a transaction-mode pooler", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supabase_transaction_pooler_later_in_a_host_list_is_refused_before_connecting()
    {
        var result = await CliRun.InProcessAsync(["up", "-c", "postgresql://postgres.abcdefghijkl:pw@db.abcdefghijkl.supabase.co:5432,aws-0-eu-west-1.pooler.supabase.com:6543/postgres"]);

        Assert.Equal(ExitCodes.TransactionPooler, result.ExitCode);
        Assert.Contains("Refused: aws-0-eu-west-1.pooler.supabase.com:6543 is a transaction-mode pooler", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transaction_pooler_reached_through_a_host_list_is_named_alone()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var bouncer = await PgBouncer.StartAsync(db, "transaction");
        // The first host refuses connections; the session lands on the pooler, the second.
        var list = new Npgsql.NpgsqlConnectionStringBuilder(bouncer.ConnectionString) { Host = $"127.0.0.1:{ClosedPort.Next()},127.0.0.1:{bouncer.Builder.Port}" };

        var result = await CliRun.InProcessAsync(["up", "-c", list.ConnectionString]);

        Assert.Equal(ExitCodes.TransactionPooler, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Refused: 127.0.0.1:{bouncer.Builder.Port} is a transaction-mode pooler", line, StringComparison.Ordinal);
        Assert.Null(await db.ScalarAsync("SELECT to_regclass('tesladb.version_info')::text"));
    }
}
