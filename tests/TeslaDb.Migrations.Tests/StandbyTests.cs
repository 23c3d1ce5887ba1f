using Npgsql;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;

namespace TeslaDb.Migrations.Tests;

/// <summary>
/// Against a streaming standby (a primary and a replica of the test's own, pg_basebackup -R): <c>up</c> and
/// <c>down</c> refuse in one line with exit 14 before touching anything; <c>status</c> and <c>verify</c>, which only
/// read, work there and see what the primary applied.
/// </summary>
public sealed class StandbyTests
{
    [Fact]
    public async Task Up_and_down_refuse_a_standby_with_exit_14_while_status_and_verify_work_there()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ReplicatedCluster.StartAsync();
        var database = "tesladb_standby_" + Guid.NewGuid().ToString("N")[..8];
        await using (var primary = new NpgsqlConnection(cluster.Primary.ConnectionString))
        {
            await primary.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", primary);
            await create.ExecuteNonQueryAsync(ct);
        }

        string On(NpgsqlConnectionStringBuilder server) => new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString;
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = On(cluster.Primary), Supabase = SupabaseMode.Off }).UpAsync(cancellationToken: ct);
        await cluster.WaitForReplayAsync(ct);
        var standby = new Dictionary<string, string?> { ["TESLADB_CONNECTION"] = On(cluster.Standby) };

        var up = await CliRun.ProcessAsync(["up", "--supabase", "off"], standby);
        var down = await CliRun.ProcessAsync(["down", "--to", "0", "--supabase", "off"], standby);
        var status = await CliRun.ProcessAsync(["status", "--exit-code", "--supabase", "off"], standby);
        var verify = await CliRun.ProcessAsync(["verify", "--supabase", "off"], standby);

        Assert.True(up.ExitCode == 14, up.ToString());
        Assert.Contains("is a standby", up.Error, StringComparison.Ordinal);
        Assert.Single(up.Error.Trim().Split('\n'));
        Assert.True(down.ExitCode == 14, down.ToString());
        Assert.True(status.ExitCode == 0, status.ToString()); // up to date: the standby replayed the primary's migrations
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
