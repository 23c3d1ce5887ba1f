using Npgsql;
using Terminal.Gui.Input;
using TeslaDb.Admin.Cli;
using TeslaDb.Admin.Core;
using TeslaDb.Migrations.Runner;
using TeslaDb.TestSupport;
using static TeslaDb.Admin.Tests.HeadlessConsole;

namespace TeslaDb.Admin.Tests;

/// <summary>
/// The console on a streaming standby: read-only without --read-only (pg_is_in_recovery()), a purge refused with a
/// line that says why, and the title naming the server and its role; on the primary, "primary" and writable.
/// </summary>
public sealed class ReplicaConsoleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_a_standby_the_console_is_read_only_and_its_title_says_standby()
    {
        await using var cluster = await ReplicatedCluster.StartAsync();
        var name = "tesladb_console_" + Guid.NewGuid().ToString("N")[..8];
        await using (var primary = new NpgsqlConnection(cluster.Primary.ConnectionString))
        {
            await primary.OpenAsync(Ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", primary);
            await create.ExecuteNonQueryAsync(Ct);
        }

        string On(NpgsqlConnectionStringBuilder server) => new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
        await new TeslaDbMigrator(new MigratorOptions { ConnectionString = On(cluster.Primary), Supabase = SupabaseMode.Off }).UpAsync(cancellationToken: Ct);
        await cluster.WaitForReplayAsync(Ct);

        var standbyTitle = $"{cluster.Standby.Host}:{cluster.Standby.Port}/{name} · standby";
        AdminSession? seen = null;
        Outcome? outcome = null;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCommand.RunAsync(["--connection", On(cluster.Standby)], output, error, session =>
        {
            seen = session;
            outcome = Run(session, [When(standbyTitle, new Key('q'))], width: 200);
            return outcome.Fatal;
        });

        Assert.True(code == ExitCodes.Success, error.ToString());
        Assert.True(seen!.ReadOnly);
        Assert.Equal(new ServerRole($"{cluster.Standby.Host}:{cluster.Standby.Port}", true), seen.Server);
        Assert.Contains(outcome!.Screens, s => s.Contains(standbyTitle, StringComparison.Ordinal) && s.Contains("READ-ONLY", StringComparison.Ordinal));
        Assert.Equal(AdminSession.StandbyMessage, Assert.Throws<UserInputException>(seen.EnsureWritable).Message);

        await using var onPrimary = await AdminSession.OpenAsync(new NpgsqlConnectionStringBuilder(On(cluster.Primary)), readOnly: false, cancellationToken: Ct);
        Assert.False(onPrimary.ReadOnly);
        Assert.EndsWith($"{cluster.Primary.Host}:{cluster.Primary.Port}/{name} · primary", onPrimary.Description, StringComparison.Ordinal);
    }

    // The title names the server reached once: its address only when the connection does not already say it (a list
    // of hosts, or a name that resolved elsewhere).
    [Theory]
    [InlineData("postgres@127.0.0.1:5432/app", "127.0.0.1:5432", false, "primary")]
    [InlineData("127.0.0.1:5433/app", "127.0.0.1:5433", true, "standby")]
    [InlineData("postgres@db1:5432,db2:5432/app", "db2:5432", true, "standby db2:5432")]
    [InlineData("postgres@db.example.com:5432/app", "10.0.0.7:5432", false, "primary 10.0.0.7:5432")]
    [InlineData("h:5432", "h:5432", false, "primary")]
    [InlineData("postgres@[::1]:5432/app", "[::1]:5432", false, "primary")]
    public void The_role_names_its_address_only_when_the_connection_does_not(string target, string address, bool standby, string expected) =>
        Assert.Equal(expected, new ServerRole(address, standby).Describe(target));
}
